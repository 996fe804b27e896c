"""The main job (`papermill nbs/distill.ipynb`) end to end, with miniature budgets so it fits CI."""
import json, os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_distill_notebook_runs_under_papermill(tmp_path):
    pm = pytest.importorskip('papermill')
    out = tmp_path / 'distill.out.ipynb'
    params = dict(vocab_size=512, seq_len=32, teacher_steps=20, teacher_batch_size=8, sample_steps=16, n_show=2,
                  compass_steps=10, n_trajectories=4, trajectory_steps=32, distill_steps=4,
                  evaluators='ar-small', evaluator_steps=10, headline_only_evaluators='', n_samples=4,
                  frontier_temperatures='0.8', results_dir=str(tmp_path / 'results'), run_id='ci',
                  artifacts=str(tmp_path / 'artifacts'), device='cpu', threads=1,
                  retrain='false', quick='false')           # strings, as `papermill -p retrain false` passes them
    pm.execute_notebook(str(ROOT / 'nbs' / 'distill.ipynb'), str(out), parameters=params, cwd=str(ROOT), progress_bar=False)
    nb = json.loads(out.read_text())
    def flat(x): return x if isinstance(x, str) else ''.join(x)
    text = ''.join(flat(o.get('text', '')) + flat(o.get('data', {}).get('text/plain', ''))
                   for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))
    assert 'validation NLL' in text and 'unigram' in text
    assert 'retrain=False' in text and "frontier_temperatures='0.8'" in text   # parsed to False: no retraining, no quick budgets
    assert '[0]' in text and '[1]' in text                       # two decoded samples printed
    # miniature budgets: folders carry a hash of what differs from the defaults, so they never overwrite the demo's
    assert len(list((tmp_path / 'artifacts').glob('teacher-mask-tiny-*/model.safetensors'))) == 1
    assert len(list((tmp_path / 'artifacts' / 'students').glob('trajectory-shaped-ar-pmi-K8-tau0.5-mask-tiny-*/reroutes.jsonl'))) == 1
    rows = [json.loads(l) for l in (tmp_path / 'results' / 'ci.jsonl').read_text().splitlines()]
    assert {r['role'] for r in rows} == {'data', 'teacher', 'student_blind', 'student_shaped'}
    assert all(r['evaluator'] == 'ar-small' and r['gen_ppl'] > 1 for r in rows)
    spread = {r['role'] for r in rows if r['sampler'] == 'spread'}            # the demo's spread-order baseline and students
    assert spread == {'teacher', 'student_blind', 'student_shaped'}, spread
    assert 'frontier at shaped entropy' in text                  # the headline table was shown
    last = ''.join(flat(o.get('data', {}).get('text/plain', '')) for o in nb['cells'][-1]['outputs'])   # the stage times at the end
    assert all(k in last for k in ('data', 'teacher', 'compass', 'students', 'evaluators', 'evaluate', 'total', 'minutes')), last


def test_bad_parameter_fails_with_a_clear_error(tmp_path):
    pm = pytest.importorskip('papermill')
    with pytest.raises(Exception, match="source='gaussian' is not allowed"):
        pm.execute_notebook(str(ROOT / 'nbs' / 'distill.ipynb'), str(tmp_path / 'x.ipynb'),
                            parameters=dict(source='gaussian', artifacts=str(tmp_path)), cwd=str(ROOT), progress_bar=False)
