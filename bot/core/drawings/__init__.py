"""Player drawings (issue 15): the contract between the drawing page and the feature is
`models.py`; the feature (`Drawings`, `engine.drawings`) is built on it."""
