"""`papermill nbs/evaluate.ipynb` end to end on a miniature teacher and a tiny local causal LM, so it fits CI."""
import json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    "A 10-step mask teacher on 32-token KJV blocks and a tiny random GPT-2 saved as a local folder."
    torch = pytest.importorskip('torch')
    torch.set_num_threads(1)
    from transformers import GPT2Config, GPT2LMHeadModel
    from tsdfm.config import DataConfig, TokenizerConfig, PathConfig, TrainConfig
    from tsdfm.data import prepare_data, gpt2_tokenizer
    from tsdfm.train import train_teacher, default_model_config
    tmp = tmp_path_factory.mktemp('eval')
    data = prepare_data(DataConfig(seq_len=32), TokenizerConfig(vocab_size=512), cache_dir=tmp / 'artifacts' / 'data')
    mcfg = default_model_config('tiny', data.vocab_size, 'mask', n_layers=1, d_model=32, n_heads=2, d_cond=16, max_seq_len=32)
    train_teacher(data, mcfg, PathConfig('mask'), TrainConfig(steps=10, batch_size=8, warmup_steps=2, eval_every=10, eval_batches=1,
                  checkpoint_every=10, device='cpu'), tmp / 'teacher', progress=False, log=lambda *a: None)
    torch.manual_seed(0)
    tok = gpt2_tokenizer()
    GPT2LMHeadModel(GPT2Config(vocab_size=len(tok), n_positions=64, n_embd=16, n_layer=1, n_head=2)).save_pretrained(tmp / 'tiny-gpt2')
    tok.save_pretrained(tmp / 'tiny-gpt2')
    return tmp


def test_evaluate_notebook_appends_rows(tiny):
    pm = pytest.importorskip('papermill')
    from tsdfm.evaluate import load_results, RESULT_KEYS
    res = tiny / 'results' / 'eval.jsonl'
    params = dict(checkpoint=str(tiny / 'teacher'), steps='4,8', temperatures='1.0,0.8', evaluators=str(tiny / 'tiny-gpt2'),
                  n_samples=6, batch_size=6, compare_cache_n=3, results_path=str(res), artifacts=str(tiny / 'artifacts'), threads=1)
    pm.execute_notebook(str(ROOT / 'nbs' / 'evaluate.ipynb'), str(tiny / 'evaluate.out.ipynb'), parameters=params, cwd=str(ROOT),
                        progress_bar=False)
    df = load_results(res)
    assert len(df) == 1 + 2 * 2                                   # one data row + steps x temperatures, one evaluator
    assert set(RESULT_KEYS) <= set(df.columns)
    assert sorted(df.role.unique()) == ['data', 'teacher']
    assert df.run_id.nunique() == 1 and (df.evaluator == 'tiny-gpt2').all()
    t = df[df.role == 'teacher']
    assert sorted(set(zip(t.steps, t.temperature))) == [(4, 0.8), (4, 1.0), (8, 0.8), (8, 1.0)]
    assert t.cache_identical.all() and (t.nfe_cached <= t.nfe_uncached).all()
    nb = json.loads((tiny / 'evaluate.out.ipynb').read_text())
    text = ''.join(''.join(o.get('text', '')) for c in nb['cells'] if c['cell_type'] == 'code' for o in c.get('outputs', []))
    assert 'gen_ppl [CI]' in text and 'entropy [' in text         # the table and the frontier summary were printed


def test_missing_checkpoint_fails_clearly(tiny):
    pm = pytest.importorskip('papermill')
    with pytest.raises(Exception, match='no checkpoint at'):
        pm.execute_notebook(str(ROOT / 'nbs' / 'evaluate.ipynb'), str(tiny / 'x.ipynb'), cwd=str(ROOT), progress_bar=False,
                            parameters=dict(checkpoint=str(tiny / 'nope'), evaluators=str(tiny / 'tiny-gpt2'), results_path='',
                                            artifacts=str(tiny / 'artifacts')))
