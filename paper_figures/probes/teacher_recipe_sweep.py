"""A small teacher-recipe sweep for the embedded default at fixed wall time (issue 17, item 3).

Each recipe trains the `mask` teacher on KJV (BPE 2048, seq 64) for as many steps as fit in BUDGET_S seconds of wall
time on this machine's cores: probes of 10 and 30 steps measure seconds per step (their difference: start-up cancels), then steps = BUDGET_S / (s/step). The baseline
row is today's recipe in fp32 (about today's 1500 steps). Each teacher is scored by validation NLL (masked positions),
the ELBO bound per token (`tsdfm.train.elbo_nll`, exp = perplexity bound on an AR model's scale), and teacher@1024 at
T=1 (no-change cache, exact for this time-independent teacher): gen-PPL under ar-small (N samples, token-weighted,
95% bootstrap CI) and mean unigram entropy, against the held-out data row. Rows go to
paper_figures/results/teacher_recipe_sweep.json (one file, rewritten atomically after every recipe: a rerun resumes).
Run alone (nothing else on the cores):  python paper_figures/probes/teacher_recipe_sweep.py [BUDGET_S] [N]"""
import json, sys, tempfile, time
from pathlib import Path
import torch
from tsdfm.config import TrainConfig, PathConfig, atomic_write_text
from tsdfm.data import prepare_data
from tsdfm.train import train_teacher, default_model_config, elbo_nll
from tsdfm.evaluation import get_evaluator, gen_ppl, bootstrap_ci, unigram_entropy

BUDGET_S = float(sys.argv[1]) if len(sys.argv) > 1 else 480.0
N = int(sys.argv[2]) if len(sys.argv) > 2 else 128
OUT = Path('paper_figures/results/teacher_recipe_sweep.json')
RECIPES = {   # name: (model overrides, train overrides)
    'today (fp32, lr 1e-3, batch 32)': ({}, dict(precision='fp32')),
    'bf16, lr 1e-3, batch 32': ({}, dict(precision='bf16')),
    'bf16, lr 2e-3, batch 64': ({}, dict(precision='bf16', lr=2e-3, batch_size=64)),
    'bf16, 6 layers x 320, lr 1e-3, batch 32': (dict(n_layers=6, d_model=320, n_heads=4), dict(precision='bf16')),
    # 2026-12-04, after the CPU bf16 attention backward (tsdfm.model.attention): the same budget buys more steps
    'bf16, lr 2e-3, batch 64, attention fix': ({}, dict(precision='bf16', lr=2e-3, batch_size=64)),
}

data = prepare_data(cache_dir='artifacts/data')
ev = get_evaluator('ar-small', data, root='artifacts/evaluators', log=lambda *a: None)
done = json.loads(OUT.read_text()) if OUT.exists() else {'budget_s': BUDGET_S, 'n_samples': N, 'threads': torch.get_num_threads(), 'rows': {}}
if 'data' not in done:
    nl, _ = ev.score(data.texts('test', N))
    done['data'] = {'gen_ppl': gen_ppl(nl), 'ci': bootstrap_ci(nl), 'entropy': float(unigram_entropy(data.blocks['test'][:N]).mean())}
for name, (mo, to) in RECIPES.items():
    if name in done['rows']: continue
    mcfg = default_model_config('tiny', data.vocab_size, 'mask', **mo)
    base = TrainConfig(**{**dict(steps=10, batch_size=32, lr=1e-3, warmup_steps=2, eval_every=10, checkpoint_every=10, eval_batches=1, seed=0, device='cpu'), **to})
    def probe(n):                                   # wall seconds of an n-step run, start-up included
        t0 = time.perf_counter()
        train_teacher(data, mcfg, PathConfig('mask'), base.replace(steps=n, eval_every=n, checkpoint_every=n), Path(tempfile.mkdtemp())/'probe', progress=False, log=lambda *a: None)
        return time.perf_counter() - t0
    s_step = (probe(30) - probe(10)) / 20           # the difference cancels start-up, which a 10-step probe alone counted as steps
    steps = max(50, int(BUDGET_S / s_step))
    tcfg = base.replace(steps=steps, warmup_steps=min(100, steps // 10), eval_every=max(1, steps // 4), checkpoint_every=steps, eval_batches=20)
    t0 = time.perf_counter()
    teacher, hist = train_teacher(data, mcfg, PathConfig('mask'), tcfg, Path(tempfile.mkdtemp())/'t', progress=False, log=lambda *a: None)
    wall = time.perf_counter() - t0
    elbo = elbo_nll(teacher.denoiser, teacher.path, data.blocks['valid'], n_batches=24)
    out = teacher.sample(N, 1024, seed=0, reuse_unchanged=True)
    nl, _ = ev.score(out.texts)
    done['rows'][name] = {'model': mcfg.to_dict(), 'train': tcfg.to_dict(), 'params': teacher.denoiser.n_params(), 'probe_s_per_step': s_step,
                          'steps': steps, 'train_wall_s': wall, 'val_nll': hist[-1].get('val_nll'), 'elbo_nll': elbo,
                          'elbo_ppl_bound': float(torch.tensor(elbo).exp()), 'teacher1024_gen_ppl': gen_ppl(nl), 'teacher1024_ci': bootstrap_ci(nl),
                          'teacher1024_entropy': float(unigram_entropy(out.tokens).mean()), 'evaluator': 'ar-small', 'n_samples': N,
                          'history': hist}
    atomic_write_text(OUT, json.dumps(done, indent=1))
    r = done['rows'][name]
    print(f"{name}: {steps} steps in {wall:.0f} s, val NLL {r['val_nll']:.3f}, ELBO ppl <= {r['elbo_ppl_bound']:.1f}, "
          f"teacher@1024 gen-PPL {r['teacher1024_gen_ppl']:.1f} {tuple(round(x, 1) for x in r['teacher1024_ci'])} @ {r['teacher1024_entropy']:.3f}", flush=True)
print('data row:', done['data'])
