"""The main job (`papermill nbs/distill.ipynb`) end to end, with miniature budgets so it fits CI."""
import json, os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_distill_notebook_runs_under_papermill(tmp_path):
    pm = pytest.importorskip('papermill')
    out = tmp_path / 'distill.out.ipynb'
    params = dict(vocab_size=512, seq_len=32, teacher_steps=20, teacher_batch_size=8, sample_steps=16, n_show=2,
                  artifacts=str(tmp_path / 'artifacts'), device='cpu', threads=1)
    pm.execute_notebook(str(ROOT / 'nbs' / 'distill.ipynb'), str(out), parameters=params, cwd=str(ROOT), progress_bar=False)
    nb = json.loads(out.read_text())
    text = ''.join(o.get('text', '') if isinstance(o.get('text', ''), str) else ''.join(o['text'])
                   for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))
    assert 'validation NLL' in text and 'unigram' in text
    assert '[0]' in text and '[1]' in text                       # two decoded samples printed
    assert (tmp_path / 'artifacts' / 'teacher-mask-tiny' / 'model.safetensors').exists()


def test_bad_parameter_fails_with_a_clear_error(tmp_path):
    pm = pytest.importorskip('papermill')
    with pytest.raises(Exception, match="source='gaussian' is not allowed"):
        pm.execute_notebook(str(ROOT / 'nbs' / 'distill.ipynb'), str(tmp_path / 'x.ipynb'),
                            parameters=dict(source='gaussian', artifacts=str(tmp_path)), cwd=str(ROOT), progress_bar=False)
