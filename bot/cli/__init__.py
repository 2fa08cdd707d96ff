"""The command line (`run.py`). Heavy imports (discord, telegram) happen only in `run`."""
