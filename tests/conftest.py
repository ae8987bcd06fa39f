import sys
from pathlib import Path

# fixtures/ (corpus loader and generator) lives at the repo root, outside the installed package.
REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))
