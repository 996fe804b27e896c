"Every papermill notebook's `parameters` cell is readable by papermill's own inspector, so `-p name value` is never reported as unknown."
import ast, json
from pathlib import Path
import pytest, papermill as pm

NBS = Path(__file__).parent.parent/'nbs'
PAPERMILL_NBS = ['distill.ipynb', 'evaluate.ipynb', 'figures.ipynb', 'trajectories.ipynb']

def _assigned(nb):
    "Names the notebook's `parameters` cell assigns, read with `ast`."
    cell = next(c for c in json.loads(nb.read_text())['cells'] if 'parameters' in c.get('metadata', {}).get('tags', []))
    return [t.id for n in ast.parse(''.join(cell['source'])).body if isinstance(n, (ast.Assign, ast.AnnAssign))
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)]

@pytest.mark.parametrize('name', PAPERMILL_NBS)
def test_papermill_sees_every_parameter(name):
    names = _assigned(NBS/name)
    assert names, f'{name}: no parameters cell'
    seen = set(pm.inspect_notebook(str(NBS/name)))
    assert [n for n in names if n not in seen] == [], f'{name}: papermill cannot read these parameters (a second "=" on the line?)'
