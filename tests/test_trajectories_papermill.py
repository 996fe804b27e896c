"""The trajectory tutorial (`nbs/trajectories.ipynb`) as a papermill entry point, on the example it generates itself."""
import json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_tutorial_runs_under_papermill_on_the_example(tmp_path):
    pm = pytest.importorskip('papermill')
    out = tmp_path / 'trajectories.out.ipynb'
    pm.execute_notebook(str(ROOT / 'nbs' / 'trajectories.ipynb'), str(out), cwd=str(ROOT / 'nbs'), progress_bar=False,
                        parameters=dict(example_only=True, example_dir=str(tmp_path / 'example'), n_samples=2),
                        store_widget_state=False)                       # no plotly.js copies (~5 MB a figure) in the output
    nb = json.loads(out.read_text())
    outputs = [o for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', [])]
    text = ''.join(''.join(o.get('text', '')) for o in outputs)
    assert 'source: generated example' in text and 'reroute log:' in text
    views = [o for o in outputs if 'application/vnd.jupyter.widget-view+json' in o.get('data', {})]
    assert len(views) == 6, len(views)         # teacher, student, 2 side by side, reroutes, uniform
    assert 'widgets' not in nb['metadata'] and out.stat().st_size < 500_000
    assert (tmp_path / 'example' / 'shaped' / 'reroutes.jsonl').exists()
