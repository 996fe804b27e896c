"""Network calls and seconds of the demo's trajectory targets (mask teacher, 256 teacher steps, 16 midpoints; blind, and
shaped with the `ar-pmi` compass, K=8, tau=0.5) for `--n` trajectories, with the code on `sys.path` (run it from two
checkouts to compare them). One JSON line per mode to stdout and appended to `--out`.
"""
import argparse, json, subprocess, time, torch
from pathlib import Path
from tsdfm.pipeline import PipelineConfig, stage_data, stage_teacher, stage_compass
from tsdfm.shaper import MidpointShaper
from tsdfm.distill import make_trajectory_targets
import tsdfm

p = argparse.ArgumentParser()
p.add_argument('--n', type=int, default=64); p.add_argument('--threads', type=int, default=1)
p.add_argument('--out', default='paper_figures/results/probes/rollout_cache.jsonl'); p.add_argument('--label', default='')
a = p.parse_args()
torch.set_num_threads(a.threads)
cfg = PipelineConfig(threads=a.threads)
quiet = lambda *x: None
data = stage_data(cfg, log=quiet); teacher = stage_teacher(cfg, data, log=quiet); compass = stage_compass(cfg, data, teacher, log=quiet)
src = Path(tsdfm.__file__).parent
commit = subprocess.run(['git', '-C', str(src), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()
for mode, shaper in (('blind', MidpointShaper(None, 1)), ('shaped', MidpointShaper(compass, cfg.K, cfg.beta, cfg.tau))):
    dc = cfg.distill_config(mode).replace(n_trajectories=a.n)
    t0 = time.perf_counter()
    T = make_trajectory_targets(teacher, dc, shaper, progress=False)
    row = {'label': a.label, 'code': str(src), 'commit': commit, 'mode': mode, 'K': shaper.K, 'tau': shaper.tau, 'n_trajectories': a.n,
           'teacher': teacher.teacher_id, 'calls_per_trajectory': T.stats['calls_per_trajectory'], 'seconds': round(time.perf_counter() - t0, 2),
           'threads': a.threads, 'cpu': open('/proc/cpuinfo').read().split('model name')[1].split('\n')[0].strip(' :\t'),
           'date': time.strftime('%Y-%m-%dT%H:%M:%S')}
    print(json.dumps(row), flush=True)
    with open(a.out, 'a') as f: f.write(json.dumps(row) + '\n')
