__version__ = "0.1.0"
"tsdfm: Trajectory-Shaped Discrete Flow Matching for text. The public API is re-exported here; the code lives in the notebooks."
from .train import load_checkpoint, FlowModel
from .evaluation import evaluate
