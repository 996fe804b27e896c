"""Does the EMA of a short teacher run lag behind its raw weights? (issue 17: the entropy gap of the demo teacher)

The demo teacher (`PipelineConfig()`, loaded from artifacts/) is saved as its EMA (decay 0.999: an average over about
the last 1000 of its 1450 steps). Its training state keeps the raw weights of the last step. The EMA never feeds back
into training, so the raw weights are exactly what `ema_decay=0` would have saved. Both are scored the same way:
validation NLL (masked positions), ELBO bound, teacher@1024 at T=1 (256 samples x 64 tokens, seed 0, no-change cache)
under ar-small with the mean per-sample unigram entropy. Writes paper_figures/results/teacher_ema.json.
Run:  python paper_figures/probes/teacher_ema.py"""
import json, copy
from pathlib import Path
import torch
from safetensors.torch import load_file
from tsdfm.config import atomic_write_text
from tsdfm.pipeline import PipelineConfig, stage_data, teacher_dir
from tsdfm.train import load_checkpoint, validation_nll, elbo_nll
from tsdfm.evaluation import get_evaluator, gen_ppl, bootstrap_ci, unigram_entropy

N, cfg = 256, PipelineConfig()
data = stage_data(cfg, log=lambda *a: None)
ev = get_evaluator('ar-small', data, root=str(cfg.root/'evaluators'), log=lambda *a: None)
ema = load_checkpoint(teacher_dir(cfg))
raw = copy.deepcopy(ema)
st = load_file(teacher_dir(cfg)/'train_state.safetensors')
raw.denoiser.load_state_dict({k[4:]: v for k, v in st.items() if k.startswith('raw.')})
rows = {}
for name, m in (('ema 0.999 (saved)', ema), ('raw (ema_decay=0)', raw)):
    out = m.sample(N, 1024, seed=0, reuse_unchanged=True)
    nl, _ = ev.score(out.texts)
    rows[name] = {'val_nll': validation_nll(m.denoiser, m.path, data.blocks['valid']), 'elbo_nll': elbo_nll(m.denoiser, m.path, data.blocks['valid'], n_batches=24),
                  'teacher1024_gen_ppl': gen_ppl(nl), 'teacher1024_ci': bootstrap_ci(nl), 'teacher1024_entropy': float(unigram_entropy(out.tokens).mean())}
    print(name, rows[name], flush=True)
atomic_write_text(Path('paper_figures/results/teacher_ema.json'), json.dumps({'teacher_id': ema.teacher_id, 'n_samples': N, 'evaluator': 'ar-small', 'rows': rows}, indent=1))
