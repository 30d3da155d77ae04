"""Shared test helpers live in tests/ (stand_in.py); tests run in importlib mode, so put it on the path."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
