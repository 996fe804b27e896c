"""The no-change cache on the time-dependent uniform teacher: exact vs cached rollouts at the trajectory scheme's step count.

Until 2026-12-07 the trajectory scheme's teacher rollouts used the cache for every teacher (`DistillConfig.reuse_unchanged`),
also for the uniform teacher, whose network reads t: a row whose state did not change kept logits from an earlier t.
This samples the uniform teacher at `--steps` with and without the cache (same seeds) and scores both under the
evaluators, so the size of that approximation is a measurement. Rows go to `--out` (one run id).
"""
import argparse, torch
from tsdfm.pipeline import PipelineConfig, stage_data
from tsdfm.train import load_checkpoint
from tsdfm.evaluation import evaluate, get_evaluator

p = argparse.ArgumentParser()
p.add_argument('--teacher', default='artifacts/teacher-uniform-tiny'); p.add_argument('--steps', type=int, default=256)
p.add_argument('--n', type=int, default=256); p.add_argument('--evaluators', default='ar-small,ar-large')
p.add_argument('--out', default='paper_figures/results/probes/20261207-uniform-cache-probe.jsonl'); p.add_argument('--threads', type=int, default=1)
a = p.parse_args()
torch.set_num_threads(a.threads)
data = stage_data(PipelineConfig(source='uniform'))
evs = [get_evaluator(n, data, root='artifacts/evaluators') for n in a.evaluators.split(',')]
t = load_checkpoint(a.teacher)
for reuse in (False, True):
    evaluate(t, steps=[a.steps], evaluators=evs, n_samples=a.n, reuse_unchanged=reuse, speed_samples=0, results_path=a.out,
             run_id=f'20261207-uniform-cache-probe-{"cached" if reuse else "exact"}')
