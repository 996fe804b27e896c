"Every papermill notebook's `parameters` cell is readable by papermill's own inspector, so `-p name value` is never reported as unknown."
import ast, json
from pathlib import Path
import pytest, papermill as pm

NBS = Path(__file__).parent.parent/'nbs'

def _parameters_cell(nb):
    return next((c for c in json.loads(nb.read_text())['cells'] if 'parameters' in c.get('metadata', {}).get('tags', [])), None)

PAPERMILL_NBS = sorted(p.name for p in NBS.glob('*.ipynb') if _parameters_cell(p))   # the entry points papermill runs

def _assigned(nb):
    "Names the notebook's `parameters` cell assigns, read with `ast`."
    cell = _parameters_cell(nb)
    return [t.id for n in ast.parse(''.join(cell['source'])).body if isinstance(n, (ast.Assign, ast.AnnAssign))
            for t in (n.targets if isinstance(n, ast.Assign) else [n.target]) if isinstance(t, ast.Name)]

def test_the_entry_points_are_found(): assert {'distill.ipynb', 'evaluate.ipynb', 'figures.ipynb'} <= set(PAPERMILL_NBS)

@pytest.mark.parametrize('name', PAPERMILL_NBS)
def test_papermill_sees_every_parameter(name):
    names = _assigned(NBS/name)
    assert names, f'{name}: its parameters cell assigns nothing'
    seen = set(pm.inspect_notebook(str(NBS/name)))
    assert [n for n in names if n not in seen] == [], f'{name}: papermill cannot read these parameters (a second "=" on the line?)'
