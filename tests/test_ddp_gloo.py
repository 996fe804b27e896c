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


def _cfgs(cache):
    data = prepare_data(DataConfig(seq_len=32), TokenizerConfig(vocab_size=512), cache_dir=cache)
    mcfg = default_model_config('tiny', data.vocab_size, 'mask', **SMALL)
    tcfg = TrainConfig(steps=2, batch_size=8, lr=1e-2, warmup_steps=1, eval_every=2, eval_batches=1, checkpoint_every=2,
                       ema_decay=0.0, device='cpu')
    return data, mcfg, tcfg


def _worker(rank, world, port, cache, out):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group('gloo', rank=rank, world_size=world)
    try:
        data, mcfg, tcfg = _cfgs(cache)
        train_teacher(data, mcfg, PathConfig('mask'), tcfg, out, progress=False, log=lambda *a: None)
    finally:
        dist.destroy_process_group()


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


def test_two_gloo_ranks_match_one_process(tmp_path):
    cache = str(tmp_path / 'data')
    data, mcfg, tcfg = _cfgs(cache)                                   # prepare (and cache) the data once
    torch.set_num_threads(1)
    train_teacher(data, mcfg, PathConfig('mask'), tcfg, tmp_path / 'one', progress=False, log=lambda *a: None)
    mp.spawn(_worker, args=(2, _free_port(), cache, str(tmp_path / 'two')), nprocs=2, join=True)
    one = load_file(tmp_path / 'one' / 'train_state.safetensors')
    two = load_file(tmp_path / 'two' / 'train_state.safetensors')
    raw = [k for k in one if k.startswith('raw.')]
    assert raw and set(raw) == {k for k in two if k.startswith('raw.')}
    for k in raw: torch.testing.assert_close(two[k], one[k], rtol=1e-5, atol=1e-6)
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
