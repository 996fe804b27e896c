"""fp32 vs bf16 autocast teachers on the embedded default (KJV, BPE 2048, seq 64, `tiny`, batch 32): the same steps
and seed, validation NLL every 100 steps. Writes paper_figures/results/bf16_check.json. Run each precision in its own
process with one thread (they can run side by side on 2 cores):
    python paper_figures/probes/bf16_check.py fp32 & python paper_figures/probes/bf16_check.py bf16; wait
    python paper_figures/probes/bf16_check.py merge
A second seed (`... fp32 1`, `... bf16 1`, then merge) gives the seed-to-seed spread the precision gap is read against."""
import json, sys, tempfile, time
from pathlib import Path
import torch
from tsdfm.config import TrainConfig, PathConfig, atomic_write_text, cpu_bf16_flags
from tsdfm.data import prepare_data
from tsdfm.train import train_teacher, default_model_config

STEPS, OUT = 600, Path('paper_figures/results/bf16_check.json')
which = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
if which == 'merge':
    parts = {p: json.loads(Path(f'runs/bf16_check_{p}.json').read_text()) for p in ('fp32', 'bf16')}
    seed1 = {p: json.loads(Path(f'runs/bf16_check_{p}_seed1.json').read_text()) for p in ('fp32', 'bf16') if Path(f'runs/bf16_check_{p}_seed1.json').exists()}
    f, b = (parts[p]['history'] for p in ('fp32', 'bf16'))
    res = {'cpu_flags': cpu_bf16_flags(), 'torch': torch.__version__, 'steps': STEPS, 'runs': parts,
           'val_nll_diff_bf16_minus_fp32': [[x['step'], x['val_nll'] - y['val_nll']] for x, y in zip(b, f) if 'val_nll' in x],
           'seconds_per_step': {p: parts[p]['seconds'] / STEPS for p in parts}, 'runs_seed1': seed1}
    if len(seed1) == 2:
        f1, b1 = (seed1[p]['history'] for p in ('fp32', 'bf16'))
        res['seed1_val_nll_diff_bf16_minus_fp32'] = [[x['step'], x['val_nll'] - y['val_nll']] for x, y in zip(b1, f1) if 'val_nll' in x]
        res['seed_spread_fp32_seed1_minus_seed0'] = [[x['step'], x['val_nll'] - y['val_nll']] for x, y in zip(f1, f) if 'val_nll' in x]
        res['seed_spread_bf16_seed1_minus_seed0'] = [[x['step'], x['val_nll'] - y['val_nll']] for x, y in zip(b1, b) if 'val_nll' in x]
    res['speedup_bf16'] = res['seconds_per_step']['fp32'] / res['seconds_per_step']['bf16']
    atomic_write_text(OUT, json.dumps(res, indent=1)); print(json.dumps({k: v for k, v in res.items() if k != 'runs'}, indent=1))
    sys.exit()
torch.set_num_threads(1)
data = prepare_data(cache_dir='artifacts/data')
mcfg = default_model_config('tiny', data.vocab_size, 'mask')
tcfg = TrainConfig(steps=STEPS, batch_size=32, lr=1e-3, warmup_steps=60, eval_every=100, checkpoint_every=STEPS, eval_batches=20,
                   seed=seed, device='cpu', precision=which)
t0 = time.perf_counter()
_, hist = train_teacher(data, mcfg, PathConfig('mask'), tcfg, Path(tempfile.mkdtemp())/which, progress=False, log=lambda *a: None)
Path('runs').mkdir(exist_ok=True)
Path(f'runs/bf16_check_{which}' + (f'_seed{seed}' if seed else '') + '.json').write_text(json.dumps({'precision': which, 'seed': seed, 'seconds': time.perf_counter() - t0, 'history': hist}))
print(which, hist[-1])
