"""The figures notebook (`papermill nbs/figures.ipynb`, what `make figures` runs) on a small synthetic results table
and a synthetic reroute log + trajectory record: every figure's HTML, CSV and provenance JSON are written (PNG too
where kaleido and a Chromium are installed), and a figure whose inputs are missing is skipped with a message."""
import json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / 'nbs' / 'figures.ipynb'
STEMS = {'F1': 'F1_steps', 'F2': 'F2_frontier', 'F3': 'F3_ablation', 'F4': 'F4_source', 'F5': 'F5_pareto', 'F6': 'F6_trajectory'}


def _run(tmp_path, name, **params):
    pm = pytest.importorskip('papermill')
    out = tmp_path / f'{name}.out.ipynb'
    pm.execute_notebook(str(NB), str(out), parameters=params, cwd=str(ROOT), progress_bar=False)
    nb = json.loads(out.read_text())
    flat = lambda x: x if isinstance(x, str) else ''.join(x)
    return ''.join(flat(o.get('text', '')) + flat(o.get('data', {}).get('text/plain', '')) + flat(o.get('data', {}).get('text/markdown', ''))
                   for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))


def test_figures_notebook_makes_every_figure_from_a_synthetic_table(tmp_path):
    from tsdfm.figures import synthetic_results, synthetic_trajectory, png_unavailable
    synthetic_results(tmp_path / 'results' / 'synthetic.jsonl')
    traj = synthetic_trajectory(tmp_path / 'student')
    figs = tmp_path / 'figs'
    text = _run(tmp_path, 'all', results_dir=str(tmp_path / 'results'), out_dir=str(figs), reroutes=str(traj['reroutes']),
                record=str(traj['record']), artifacts=str(tmp_path / 'artifacts'), require='F1,F2,T1,T2,F3,F4,F5,F6,F7,F8')
    manifest = json.loads((figs / 'figures.json').read_text())
    assert list(manifest) == ['F1', 'F2', 'T1', 'T2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8']
    assert not any(v['skipped'] for v in manifest.values()), manifest
    png_why = png_unavailable()
    for fid, stem in STEMS.items():
        for ext in ('html', 'csv', 'json'):
            assert (figs / f'{stem}.{ext}').stat().st_size > 100, (stem, ext)
        meta = json.loads((figs / f'{stem}.json').read_text())
        assert meta['provenance']['synthetic'] is True and meta['provenance']['n_samples'], stem
        assert len((figs / f'{stem}.csv').read_text().splitlines()) > 2, stem
        if png_why: assert manifest[fid]['png_skipped'] == png_why
        else: assert (figs / f'{stem}.png').stat().st_size > 10_000, stem
    f1 = json.loads((figs / 'F1_steps.json').read_text())['provenance']
    assert f1['commits'] == ['synthetic'] and f1['n_samples'] == [32] and f1['date_last']
    md = (figs / 'T1_headline.md').read_text()
    assert '| teacher@1024 |' in md and '| blind@8 |' in md and 'shaped@8 (ar, K=4)' in md and 'SYNTHETIC' in md
    t2 = (figs / 'T2_matched_entropy.md').read_text()
    assert '| shaped (trajectory, ar, K=4) |' in t2 and 'blind frontier' in t2 and 'SYNTHETIC' in t2
    assert (figs / 'T1_headline.csv').exists() and (figs / 'plotly.min.js').exists()
    assert 'F1: F1_steps.csv' in text and 'SKIPPED' not in text
    assert 'gen-PPL ar-large [95% CI]' in text                  # the headline table was displayed


def test_missing_inputs_skip_a_figure_with_a_message(tmp_path):
    from tsdfm.figures import synthetic_results
    rows = synthetic_results()
    rows = rows[rows.role.isin(['teacher', 'data'])]
    (tmp_path / 'results').mkdir()
    rows.to_json(tmp_path / 'results' / 'teacher-only.jsonl', orient='records', lines=True)
    figs = tmp_path / 'figs'
    text = _run(tmp_path, 'partial', results_dir=str(tmp_path / 'results'), out_dir=str(figs), figures='F1,T1,F4,F6',
                png=False, artifacts=str(tmp_path / 'no-artifacts'))
    manifest = json.loads((figs / 'figures.json').read_text())
    assert manifest['F1']['skipped'] == '' and (figs / 'F1_steps.html').exists()
    assert 'T1 needs teacher@1024 and at least one student@8' in manifest['T1']['skipped']
    assert 'F4 needs' in manifest['F4']['skipped'] and 'F6 needs a shaped student' in manifest['F6']['skipped']
    assert not list(figs.glob('T1_headline.*')) and not list(figs.glob('F6_trajectory.*'))
    assert 'T1: skipped: T1 needs' in text
    with pytest.raises(Exception, match="required figures not made"):
        _run(tmp_path, 'required', results_dir=str(tmp_path / 'results'), out_dir=str(figs), figures='F1,T1', png=False,
             require='F1,T1')
