"""How many steps of the demo's teacher recipe fit in the wall time of the teacher issue 17 started from? (issue 17:
"trained in no more wall time than today's teacher", read on the machine the demo runs on)

Times `S` training steps of each recipe on this machine, same data, model and seed, 2 threads, nothing else on the cores:
'old': the teacher the issue started from (fp32, batch 32, lr 1e-3, 1500 steps; `TrainConfig`'s defaults);
'new': the demo's recipe (`PipelineConfig`: bf16 where the CPU has it, batch 64, lr 2e-3).
Seconds per step exclude the first 20 steps (warm-up of the allocator and oneDNN) and validation. The budget is
1500 x the old recipe's s/step; the new recipe's step count for that budget is budget / its s/step.
Writes paper_figures/results/teacher_budget.json.   Run alone:  python paper_figures/probes/teacher_budget.py [S]"""
import json, sys, time, platform, tempfile
from pathlib import Path
import torch
from tsdfm.config import PathConfig, TrainConfig, atomic_write_text
from tsdfm.pipeline import PipelineConfig, stage_data
from tsdfm.train import train_teacher, default_model_config

S, WARM = int(sys.argv[1]) if len(sys.argv) > 1 else 200, 20
cfg = PipelineConfig()
data = stage_data(cfg, log=lambda *a: None)
recipes = {'old': TrainConfig(steps=1500, batch_size=32, lr=1e-3, precision='fp32'),
           'new': TrainConfig(steps=cfg.teacher_steps, batch_size=cfg.teacher_batch_size, lr=cfg.teacher_lr, precision=cfg.precision)}
model_cfg, rows = default_model_config(cfg.config, data.vocab_size, cfg.source), {}
for name, tc in recipes.items():
    tc = tc.replace(eval_every=10**6, checkpoint_every=10**6)
    with tempfile.TemporaryDirectory() as d:
        for n in (WARM, S - WARM):                        # warm-up run, then the timed run resuming from it
            t = time.perf_counter()
            train_teacher(data, model_cfg, PathConfig(cfg.source), tc, d, max_steps_this_run=n, progress=False, log=lambda *a: None)
            secs = time.perf_counter() - t
    rows[name] = {'train': tc.to_dict(), 'timed_steps': S - WARM, 's_per_step': secs / (S - WARM), 'tok_per_s': tc.batch_size * cfg.seq_len * (S - WARM) / secs}
    print(name, rows[name]['s_per_step'], rows[name]['tok_per_s'], flush=True)
old_steps = recipes['old'].steps
budget = old_steps * rows['old']['s_per_step']
out = {'machine': platform.processor() or platform.machine(), 'threads': torch.get_num_threads(), 'rows': rows,
       f'old_teacher_seconds ({old_steps} steps, no validation)': budget, 'new_recipe_steps_in_that_budget': int(budget / rows['new']['s_per_step'])}
atomic_write_text(Path('paper_figures/results/teacher_budget.json'), json.dumps(out, indent=1))
print(json.dumps({k: v for k, v in out.items() if k != 'rows'}))
