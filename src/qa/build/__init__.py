"""Building an index: corpus -> passages -> vectors -> a new build folder, swapped in atomically."""


class BuildError(Exception):
    """The build cannot proceed; the previous index is untouched."""
