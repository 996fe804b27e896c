"""Data parallelism on PyTorch's own engine (DDP), checked on CPU with the gloo backend and 2 processes:
one optimisation step on 2 ranks x batch b gives the parameters of 1 rank x batch 2b."""
import os, socket
from pathlib import Path
import pytest, torch
import torch.distributed as dist
import torch.multiprocessing as mp
from safetensors.torch import load_file

from tsdfm.config import DataConfig, TokenizerConfig, PathConfig, TrainConfig
from tsdfm.data import prepare_data
from tsdfm.train import train_teacher, default_model_config

SMALL = dict(n_layers=1, d_model=64, n_heads=2, d_cond=32, max_seq_len=32)


def _cfgs(cache, precision='fp32'):
    data = prepare_data(DataConfig(seq_len=32), TokenizerConfig(vocab_size=512), cache_dir=cache)
    mcfg = default_model_config('tiny', data.vocab_size, 'mask', **SMALL)
    tcfg = TrainConfig(steps=2, batch_size=8, lr=1e-2, warmup_steps=1, eval_every=2, eval_batches=1, checkpoint_every=2,
                       ema_decay=0.0, device='cpu', precision=precision)
    return data, mcfg, tcfg


def _worker(rank, world, port, cache, out, precision):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group('gloo', rank=rank, world_size=world)
    try:
        data, mcfg, tcfg = _cfgs(cache, precision)
        train_teacher(data, mcfg, PathConfig('mask'), tcfg, out, progress=False, log=lambda *a: None)
    finally:
        dist.destroy_process_group()


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


# fp32: the same sums in another order, so equal to float rounding. bf16 autocast: the matmuls of a half batch and a
# full batch round differently (other kernel blocking), so the check is that the ranks agree to bf16's resolution.
TOL = {'fp32': dict(rtol=1e-5, atol=1e-6), 'bf16': dict(rtol=2e-2, atol=2e-3)}

@pytest.mark.parametrize('precision', ['fp32', 'bf16'])
def test_two_gloo_ranks_match_one_process(tmp_path, precision):
    from tsdfm.config import resolve_precision
    if precision == 'bf16' and resolve_precision('auto', 'cpu') != 'bf16': pytest.skip('this CPU has no bf16 matrix units')
    cache = str(tmp_path / 'data')
    data, mcfg, tcfg = _cfgs(cache, precision)                        # prepare (and cache) the data once
    torch.set_num_threads(1)
    train_teacher(data, mcfg, PathConfig('mask'), tcfg, tmp_path / 'one', progress=False, log=lambda *a: None)
    mp.spawn(_worker, args=(2, _free_port(), cache, str(tmp_path / 'two'), precision), nprocs=2, join=True)
    one = load_file(tmp_path / 'one' / 'train_state.safetensors')
    two = load_file(tmp_path / 'two' / 'train_state.safetensors')
    raw = [k for k in one if k.startswith('raw.')]
    assert raw and set(raw) == {k for k in two if k.startswith('raw.')}
    for k in raw: torch.testing.assert_close(two[k], one[k], **TOL[precision])
    hist = lambda d: __import__('json').loads((d / 'train_state.json').read_text())['history']
    assert hist(tmp_path / 'one')[-1]['step'] == hist(tmp_path / 'two')[-1]['step'] == 2


def test_batch_must_split_across_ranks(tmp_path):
    from tsdfm.config import ConfigError
    import tsdfm.train as T
    orig = T.dist_info
    T.dist_info = lambda: (0, 3)
    try:
        data, mcfg, tcfg = _cfgs(str(tmp_path / 'data'))
        with pytest.raises(ConfigError, match='batch_size=8 must be divisible by the 3 data-parallel ranks'):
            train_teacher(data, mcfg, PathConfig('mask'), tcfg, tmp_path / 'x', progress=False, log=lambda *a: None)
    finally:
        T.dist_info = orig


def _eval_worker(rank, world, port, cache, teacher_dir, out):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group('gloo', rank=rank, world_size=world)
    try:
        rows = _evaluate(cache, teacher_dir, Path(out) / 'results.jsonl')
        torch.save(rows, Path(out) / f'rows{rank}.pt')
    finally:
        dist.destroy_process_group()


def _evaluate(cache, teacher_dir, results):
    from tsdfm.evaluation import evaluate, evaluate_data, Evaluator
    from tsdfm.train import load_checkpoint
    data, _, _ = _cfgs(cache)
    teacher = load_checkpoint(teacher_dir)
    torch.manual_seed(0)
    from tsdfm.evaluation import ARLM, ARConfig
    lm = ARLM(ARConfig(vocab_size=data.vocab_size, n_layers=1, d_model=32, n_heads=2, max_seq_len=64))
    ev = Evaluator('ar-random', lm, data.tokenizer, 64, data.tokenizer.eos_token_id)
    kw = dict(n_samples=10, batch_size=3, results_path=results, log=lambda *a: None)
    return (evaluate_data(data, [ev], **kw)
            + evaluate(teacher, steps=(4, 16), temperatures=(1.0, 0.8), evaluators=[ev], speed_samples=2, progress=False, **kw))


def test_sharded_evaluation_matches_one_process(tmp_path):
    "Evaluation sharded over 2 gloo ranks (batches 0, 2 | 1, 3) gives the one-process rows; only rank 0 writes them."
    cache = str(tmp_path / 'data')
    data, mcfg, tcfg = _cfgs(cache)
    torch.set_num_threads(1)
    train_teacher(data, mcfg, PathConfig('mask'), tcfg, tmp_path / 'teacher', progress=False, log=lambda *a: None)
    (tmp_path / 'one').mkdir(); (tmp_path / 'two').mkdir()
    one = _evaluate(cache, tmp_path / 'teacher', tmp_path / 'one' / 'results.jsonl')
    mp.spawn(_eval_worker, args=(2, _free_port(), cache, str(tmp_path / 'teacher'), str(tmp_path / 'two')), nprocs=2, join=True)
    r0, r1 = (torch.load(tmp_path / 'two' / f'rows{r}.pt') for r in (0, 1))
    assert len(one) == len(r0) == len(r1) == 1 + 4
    for a, b, c in zip(one, r0, r1):
        for k in ('role', 'steps', 'temperature', 'gen_ppl', 'ci_low', 'ci_high', 'entropy', 'eval_tokens', 'gen_ppl_sample_mean', 'n_samples'):
            same = (lambda x, y: x == pytest.approx(y, rel=1e-6)) if isinstance(a[k], float) else (lambda x, y: x == y)
            assert same(b[k], a[k]) and b[k] == c[k], (k, a[k], b[k], c[k])
        assert b['world_size'] == 2 and a['world_size'] == 1
        if a['role'] == 'teacher': assert b['nfe'] == pytest.approx(a['nfe'])    # NFE: total calls / n_samples on both
    written = (tmp_path / 'two' / 'results.jsonl').read_text().splitlines()
    assert len(written) == len(one)                                    # rank 0 wrote, rank 1 did not


def _store_cfg():
    from tsdfm.config import DistillConfig
    return DistillConfig(mode='blind', compass='', K=1, targets='hard', divergence='fkl', n_trajectories=256, valid_trajectories=0,
                         teacher_steps=32, n_midpoints=8, student_steps=8, steps=2, batch_size=4, warmup_steps=1)


def _distill_worker(rank, world, port, teacher_dir, out):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port), RANK=str(rank), WORLD_SIZE=str(world))   # as torchrun sets them
    torch.set_num_threads(1)
    dist.init_process_group('gloo', rank=rank, world_size=world)
    try:
        from tsdfm.distill import distill_student
        from tsdfm.train import load_checkpoint
        distill_student(load_checkpoint(teacher_dir), _store_cfg(), Path(out) / 'student', progress=False, log=lambda *a: None,
                        precision='fp32', targets_root=Path(out) / 'targets')
    finally:
        dist.destroy_process_group()


def test_ranks_split_the_target_store(tmp_path):
    """Under DDP the ranks split the rollouts of a student's target store (4 shards of one batch: each rank takes its places
    on the grid, and may take over one the other has not started), and the shards hold the one-process rollouts."""
    import json
    from tsdfm.distill import make_trajectory_targets, TrajectoryTargets
    from tsdfm.train import load_checkpoint
    data, mcfg, tcfg = _cfgs(str(tmp_path / 'data'))
    torch.set_num_threads(1)
    train_teacher(data, mcfg, PathConfig('mask'), tcfg, tmp_path / 'teacher', progress=False, log=lambda *a: None)
    mp.spawn(_distill_worker, args=(2, _free_port(), str(tmp_path / 'teacher'), str(tmp_path / 'two')), nprocs=2, join=True)
    [store] = list((tmp_path / 'two' / 'targets').glob('trajectory-blind-*'))
    shards = sorted(store.glob('batches-*'))
    assert [d.name for d in shards] == [f'batches-{b:05d}-{b + 1:05d}' for b in range(4)]
    made_by = [json.loads((d / 'targets.json').read_text())['made_by'] for d in shards]
    assert {m['rank'] for m in made_by} == {0, 1} and {m['world'] for m in made_by} == {2}, made_by
    whole = make_trajectory_targets(load_checkpoint(tmp_path / 'teacher'), _store_cfg(), progress=False)
    got = [TrajectoryTargets.load(d) for d in shards]
    assert torch.equal(torch.cat([T.states for T in got], 1), whole.states)
    assert (tmp_path / 'two' / 'student' / 'config.json').exists()
