"""The answer itself: the date or quantity a question asks for, found in each result, and a timeline of dates."""
