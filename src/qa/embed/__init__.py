"""Embedding: the model exported once to ONNX, run with ONNX Runtime, and a cache of vectors across builds."""
