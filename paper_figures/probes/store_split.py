"""Wall time of one target store rolled out by one process (2 threads), by two jobs of the same command (1 thread each,
splitting the shards through their locks) and by `torchrun` with 2 gloo ranks (1 thread each, splitting them by their
place on the shard grid): the demo's mask teacher, blind targets of `--trajectories` trajectories (256 teacher steps, 16 midpoints,
shards of one 64-trajectory batch). Checks that the three stores hold the same rollouts and writes one JSON file.

    python paper_figures/probes/store_split.py --trajectories 512 --out paper_figures/results/probes/store_split.json
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path
import torch

def store_of(root, cfg, mode):
    from tsdfm.distill import TargetStore
    return TargetStore(root, {'scheme': 'trajectory', 'mode': mode, 'probe': 'store_split'})

def work(root:str, n:int, threads:int, ddp:bool):
    "One worker: build (its share of) the store and report its rank, shards made and seconds."
    torch.set_num_threads(threads)
    rank, world = 0, 1
    if ddp:
        import torch.distributed as dist
        dist.init_process_group('gloo'); rank, world = dist.get_rank(), dist.get_world_size()
    from tsdfm.pipeline import PipelineConfig, stage_data, stage_teacher
    from tsdfm.shaper import MidpointShaper
    quiet = lambda *a: None
    cfg = PipelineConfig(threads=threads)
    data = stage_data(cfg, log=quiet); teacher = stage_teacher(cfg, data, log=quiet)
    dc = cfg.distill_config('blind').replace(n_trajectories=n)
    store, msgs = store_of(root, dc, 'blind'), []
    t0 = time.perf_counter()
    store.targets(teacher, dc, MidpointShaper(None, 1), progress=False, log=msgs.append, rank=rank, world=world)
    print(json.dumps({'rank': rank, 'world': world, 'pid': os.getpid(), 'seconds': round(time.perf_counter() - t0, 2), 'log': msgs[-1]}), flush=True)
    if ddp: dist.destroy_process_group()

def launch(cmds, env):
    "Run the commands at once; (wall seconds, each one's JSON report)."
    t0 = time.perf_counter()
    ps = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, text=True) for c in cmds]
    outs = [p.communicate()[0] for p in ps]
    if any(p.returncode for p in ps): raise SystemExit(f'a worker failed: {[p.returncode for p in ps]}')
    return round(time.perf_counter() - t0, 2), [json.loads(l) for o in outs for l in o.splitlines() if l.startswith('{')]

def states(root):
    from tsdfm.distill import TrajectoryTargets
    [folder] = list(Path(root).glob('trajectory-blind-*'))
    shards = sorted(folder.glob('batches-*'))
    made = [json.loads((d/'targets.json').read_text())['made_by'] for d in shards]
    return torch.cat([TrajectoryTargets.load(d).states for d in shards], 1), made

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--trajectories', type=int, default=512); p.add_argument('--out', default='paper_figures/results/probes/store_split.json')
    p.add_argument('--worker', default=''); p.add_argument('--threads', type=int, default=1); p.add_argument('--ddp', action='store_true')
    a = p.parse_args()
    if a.worker: return work(a.worker, a.trajectories, a.threads, a.ddp)
    me, bin_dir = [sys.executable, __file__, '--trajectories', str(a.trajectories)], Path(sys.executable).parent
    tmp = Path(tempfile.mkdtemp(prefix='store_split-'))
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    runs = {}
    try:
        runs['one process, 2 threads'] = launch([me + ['--worker', str(tmp/'one'), '--threads', '2']], {**env, 'OMP_NUM_THREADS': '2'})
        runs['two jobs, 1 thread each'] = launch([me + ['--worker', str(tmp/'jobs')]] * 2, env)
        runs['torchrun, 2 gloo ranks, 1 thread each'] = launch([[str(bin_dir/'torchrun'), '--standalone', '--nproc_per_node', '2', __file__,
                                                                  '--trajectories', str(a.trajectories), '--worker', str(tmp/'ddp'), '--ddp']], env)
        ref, _ = states(tmp/'one')
        out = {'what': __doc__.split('\n\n')[0], 'n_trajectories': a.trajectories, 'teacher_steps': 256, 'shards': a.trajectories // 64,
               'cpu': open('/proc/cpuinfo').read().split('model name')[1].split('\n')[0].strip(' :\t'), 'cores': os.cpu_count(),
               'date': time.strftime('%Y-%m-%dT%H:%M:%S'), 'runs': []}
        for (name, (wall, reports)), folder in zip(runs.items(), ('one', 'jobs', 'ddp')):
            st, made = states(tmp/folder)
            out['runs'].append({'run': name, 'wall_seconds': wall, 'workers': reports, 'same_rollouts_as_one_process': bool(torch.equal(st, ref)),
                                'shards_made_by': [m.get('rank') if folder == 'ddp' else m['pid'] for m in made]})
        base = out['runs'][0]['wall_seconds']
        for r in out['runs']: r['speedup_vs_one_process'] = round(base / r['wall_seconds'], 3)
        Path(a.out).parent.mkdir(parents=True, exist_ok=True); Path(a.out).write_text(json.dumps(out, indent=1))
        print(json.dumps(out, indent=1))
    finally: shutil.rmtree(tmp, ignore_errors=True)

if __name__ == '__main__': main()
