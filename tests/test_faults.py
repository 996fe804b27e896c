"""Fault injection: bad inputs through the real entry points, kill -9 at every step of an atomic write, torn results
lines, two jobs at once, edited corpora and mismatched teachers. Each test names the fault of README's fault table."""
import json, os, subprocess, sys, textwrap, time, warnings
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, 'OMP_NUM_THREADS': '1', 'TOKENIZERS_PARALLELISM': 'false'}


def run_py(code, env=None, check=True):
    "Run `code` in a fresh Python process (the toolkit imported from this checkout)."
    p = subprocess.run([sys.executable, '-c', textwrap.dedent(code)], cwd=ROOT, env={**ENV, **(env or {})}, capture_output=True, text=True)
    if check and p.returncode != 0: raise AssertionError(f'rc {p.returncode}\n{p.stdout}\n{p.stderr}')
    return p


def written(*dirs):
    "Files under `dirs` other than lock files (a lock is not an artifact: `flock` needs a file to lock)."
    return sorted(str(f) for d in dirs if Path(d).exists() for f in Path(d).rglob('*') if f.is_file() and not f.name.endswith('.lock'))


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    "A small local corpus, its prepared data and a 1-layer teacher checkpoint (seq_len 16) trained for 4 steps."
    root = tmp_path_factory.mktemp('tiny')
    corpus = root / 'corpus'; corpus.mkdir()
    for f in range(3):
        (corpus / f'f{f}.txt').write_text('\n\n'.join(f'Paragraph {f}-{i}: the quick brown fox jumps over the lazy dog {i}.' for i in range(40)))
    from tsdfm.config import DataConfig, TokenizerConfig, PathConfig, TrainConfig
    from tsdfm.data import prepare_data
    from tsdfm.train import default_model_config, get_teacher
    data = prepare_data(DataConfig(corpus=str(corpus / '*.txt'), seq_len=16), TokenizerConfig(vocab_size=300), cache_dir=root / 'data')
    mcfg = default_model_config('tiny', data.vocab_size, 'mask', n_layers=1, d_model=32, n_heads=2, d_cond=16, max_seq_len=16)
    tcfg = TrainConfig(steps=4, batch_size=4, warmup_steps=1, eval_every=2, eval_batches=1, checkpoint_every=2, device='cpu')
    teacher = get_teacher(data, mcfg, PathConfig('mask'), tcfg, root / 'teacher', progress=False, log=lambda *a: None)
    return dict(root=root, corpus=corpus, data=data, mcfg=mcfg, tcfg=tcfg, teacher=teacher)


# ---------------------------------------------------------------- 1, 3, 4, 9: bad inputs fail first, naming the parameter

BAD = [  # (parameters as a shell or papermill's -p gives them, what the error must say)
    (dict(retrain='flase'), "retrain='flase' is not allowed; it must be a boolean"),
    (dict(quick='maybe'), "quick='maybe' is not allowed; it must be a boolean"),
    (dict(teacher_steps='10.5'), "teacher_steps='10.5' is not allowed; it must be an integer"),
    (dict(frontier_temperatures='abc'), "frontier_temperatures='abc' is not allowed; it must be a finite number"),
    (dict(teacher_eval_steps='8,x'), "teacher_eval_steps='x' is not allowed; it must be an integer"),
    (dict(evaluators='ar-small,ar-smal'), "evaluator='ar-smal' is not allowed"),
    (dict(compass='magic'), "compass='magic' is not allowed"),
    (dict(n_samples='0'), 'n_samples=0 must be > 0'),
    (dict(threads='-1'), 'threads=-1 must be >= 0'),
    (dict(seq_len='200'), "seq_len=200 exceeds the max_seq_len=128 of config='tiny'"),
    (dict(distill_steps='0'), 'distill_steps=0 must be > 0'),
    (dict(trajectory_steps='100'), 'trajectory_steps=100 must be a multiple of n_midpoints=16'),
    (dict(n_midpoints='12'), 'n_midpoints=12 must be a power of 2'),
    (dict(corpus='/no/such/dir/*.txt'), "corpus='/no/such/dir/*.txt' matches no files"),
    (dict(teacher_checkpoint='/no/such/teacher'), '/no/such/teacher/config.json is missing'),
]


def cli_args(params): return [a for k, v in params.items() for a in (f'--{k}', str(v))]


@pytest.mark.parametrize('params,message', BAD, ids=[next(iter(p)) for p, _ in BAD])
def test_bad_input_cli_fails_before_any_work(tmp_path, params, message):
    from tsdfm.config import ConfigError
    from tsdfm.pipeline import main
    out = dict(artifacts=str(tmp_path / 'artifacts'), results_dir=str(tmp_path / 'results'))
    t0 = time.perf_counter()
    with pytest.raises(ConfigError, match=None) as e: main(cli_args({**out, **params}))
    assert message in str(e.value), str(e.value)
    assert time.perf_counter() - t0 < 10 and written(tmp_path) == []


def test_bad_input_console_script_exits_with_the_message(tmp_path):
    "The installed `tsdfm-distill` command itself (not only `main`): a non-zero exit and the message, in seconds."
    exe = Path(sys.executable).with_name('tsdfm-distill')
    if not exe.exists(): pytest.skip('tsdfm-distill is not installed beside this python')
    t0 = time.perf_counter()
    p = subprocess.run([str(exe), '--retrain', 'flase', '--artifacts', str(tmp_path / 'a'), '--results_dir', str(tmp_path / 'r')],
                       cwd=ROOT, env=ENV, capture_output=True, text=True)
    assert p.returncode != 0 and "retrain='flase' is not allowed; it must be a boolean" in p.stderr, p.stderr[-2000:]
    assert time.perf_counter() - t0 < 60 and written(tmp_path) == []


def test_bad_inputs_papermill_fail_before_any_work(tmp_path):
    "The same table through `papermill nbs/distill.ipynb` (values as strings, as `-p` gives them), and the evaluation notebook."
    pm = pytest.importorskip('papermill')
    cases = [('distill', {'artifacts': str(tmp_path / 'artifacts'), 'results_dir': str(tmp_path / 'results'), **p}, m) for p, m in BAD]
    cases += [('evaluate', dict(with_data_row='flase'), "with_data_row='flase' is not allowed"),
              ('evaluate', dict(checkpoint=str(tmp_path / 'none'), artifacts=str(tmp_path / 'artifacts'), results_dir=str(tmp_path / 'results')),
               f"{tmp_path / 'none'}/config.json is missing")]
    for i, (nb, params, message) in enumerate(cases):
        t0 = time.perf_counter()
        with pytest.raises(Exception) as e:
            pm.execute_notebook(str(ROOT / 'nbs' / f'{nb}.ipynb'), str(tmp_path / f'out{i}.ipynb'), parameters=params, cwd=str(ROOT),
                                progress_bar=False, log_output=False)
        assert message in str(e.value), (params, str(e.value)[-500:])
        assert time.perf_counter() - t0 < 60, params                       # a kernel start and the imports, no work
        assert written(tmp_path / 'artifacts', tmp_path / 'results') == [], params


def test_empty_split_is_refused_with_block_counts(tmp_path):
    from tsdfm.config import ConfigError
    from tsdfm.pipeline import main
    (tmp_path / 'small.txt').write_text('\n\n'.join(f'Line {i} of a corpus too small for the sequence length.' for i in range(25)))
    with pytest.raises(ConfigError, match=r'packs into train=\d+, valid=0, test=0 blocks'):
        main(cli_args(dict(corpus=str(tmp_path / 'small.txt'), seq_len='128', vocab_size='300', artifacts=str(tmp_path / 'a'), results_dir=str(tmp_path / 'r'))))
    assert written(tmp_path / 'a', tmp_path / 'r') == []


def test_corpus_file_errors_name_the_file(tmp_path):
    from tsdfm.config import ConfigError, DataConfig
    from tsdfm.data import load_corpus
    (tmp_path / 'a.txt').write_text('fine text'); (tmp_path / 'b.txt').write_bytes(b'\x00\xff\xfe broken')
    with pytest.raises(ConfigError, match=f'corpus file {tmp_path}/b.txt is not UTF-8 text'): load_corpus(DataConfig(corpus=str(tmp_path / '*.txt')))


# ---------------------------------------------------------------- 2: nothing from another corpus, tokenizer or length is mixed in

def test_teacher_checkpoint_of_another_run_is_refused(tiny, tmp_path):
    from tsdfm.config import ConfigError
    from tsdfm.pipeline import main
    args = dict(teacher_checkpoint=str(tiny['root'] / 'teacher'), artifacts=str(tmp_path / 'a'), results_dir=str(tmp_path / 'r'))
    with pytest.raises(ConfigError, match=r"does not fit this run: it has corpus='.*', seq_len=16, vocab_size=300 where this run has corpus='kjv', seq_len=64, vocab_size=2048"):
        main(cli_args(args))
    assert written(tmp_path) == []
    from tsdfm.pipeline import PipelineConfig, check_teacher_fits
    cfg = PipelineConfig(corpus=tiny['data'].data_cfg.corpus, seq_len=16, vocab_size=300, teacher_checkpoint=args['teacher_checkpoint'])
    check_teacher_fits(tiny['teacher'].config, cfg, tiny['data'])            # the right run: accepted
    with pytest.raises(ConfigError, match='corpus content'):                 # same names, other text
        check_teacher_fits(tiny['teacher'].config, cfg, tiny['data'].__class__(**{**tiny['data'].__dict__, 'fingerprint': 'edited'}))


def test_corpus_edited_in_place_gets_new_caches(tiny, tmp_path):
    import shutil
    from tsdfm.data import prepare_data
    from tsdfm.config import PathConfig
    from tsdfm.train import get_teacher
    corpus = tmp_path / 'c'; shutil.copytree(tiny['corpus'], corpus)
    d = tiny['data']; cfg = d.data_cfg.replace(corpus=str(corpus / '*.txt'))
    a = prepare_data(cfg, d.tok_cfg, cache_dir=tmp_path / 'data')
    logs = []
    get_teacher(a, tiny['mcfg'], PathConfig('mask'), tiny['tcfg'], tmp_path / 'teacher', progress=False, log=logs.append)
    with open(corpus / 'f1.txt', 'a') as f: f.write('\n\nAn edited paragraph that was not there before, with new words: zebra quartz.')
    b = prepare_data(cfg, d.tok_cfg, cache_dir=tmp_path / 'data')
    assert a.key != b.key and len(list((tmp_path / 'data').glob('*/blocks.safetensors'))) == 2
    get_teacher(b, tiny['mcfg'], PathConfig('mask'), tiny['tcfg'], tmp_path / 'teacher', progress=False, log=logs.append)
    assert any('holds a teacher of other configs: training a new one there' in l for l in logs), logs


# ---------------------------------------------------------------- 6: kill -9 at every step of an atomic write

@pytest.mark.parametrize('point,expect', [('written', 'v1'), ('complete', 'v1'), ('old', 'v2'), ('new', 'v2'), ('cleanup', 'v2')])
def test_kill_during_atomic_dir_leaves_a_loadable_folder(tmp_path, point, expect):
    from tsdfm.config import atomic_dir, recover_dir
    code = f"""
        from pathlib import Path
        from tsdfm.config import atomic_dir
        p = Path({str(tmp_path / 'ck')!r})
        with atomic_dir(p) as t: (t/'x').write_text('v1')
        with atomic_dir(p) as t: (t/'x').write_text('v2')
    """
    p = run_py(code, env={'TSDFM_CRASH_AT': f'{point}:2' if point in ('written', 'complete', 'new') else point}, check=False)
    assert p.returncode == 137, p.stderr                                     # killed at that instant, as by kill -9
    assert (recover_dir(tmp_path / 'ck') / 'x').read_text() == expect
    assert sorted(f.name for f in tmp_path.iterdir() if not f.name.endswith('.lock')) == ['ck']   # leftovers removed
    with atomic_dir(tmp_path / 'ck') as t: (t / 'x').write_text('v3')       # and the next write works
    assert (tmp_path / 'ck' / 'x').read_text() == 'v3'


def test_kill_during_a_checkpoint_write_resumes_bit_exactly(tiny, tmp_path):
    "Training killed between the two renames of its second checkpoint write: the rerun resumes and ends with the uninterrupted weights."
    import torch
    from safetensors.torch import load_file
    from tsdfm.config import PathConfig
    from tsdfm.train import train_teacher
    code = f"""
        import torch; torch.set_num_threads(1)
        from tsdfm.config import DataConfig, TokenizerConfig, PathConfig, TrainConfig
        from tsdfm.data import prepare_data
        from tsdfm.train import default_model_config, train_teacher
        data = prepare_data(DataConfig(corpus={str(tiny['corpus'] / '*.txt')!r}, seq_len=16), TokenizerConfig(vocab_size=300), cache_dir={str(tiny['root'] / 'data')!r})
        mcfg = default_model_config('tiny', data.vocab_size, 'mask', n_layers=1, d_model=32, n_heads=2, d_cond=16, max_seq_len=16)
        tcfg = TrainConfig(steps=6, batch_size=4, warmup_steps=1, eval_every=2, eval_batches=1, checkpoint_every=2, device='cpu')
        train_teacher(data, mcfg, PathConfig('mask'), tcfg, {str(tmp_path / 'killed')!r}, progress=False)
    """
    assert run_py(code, env={'TSDFM_CRASH_AT': 'old'}, check=False).returncode == 137       # the step-4 write: step 2 moved aside
    assert not (tmp_path / 'killed').exists()                                # no checkpoint at the path: the case that lost it
    torch.set_num_threads(1)
    tcfg = tiny['tcfg'].replace(steps=6)
    logs = []
    _, h = train_teacher(tiny['data'], tiny['mcfg'], PathConfig('mask'), tcfg, tmp_path / 'killed', progress=False, log=logs.append)
    assert logs[0] == f"resumed from {tmp_path / 'killed'} at step 4", logs # the complete step-4 checkpoint was renamed in
    train_teacher(tiny['data'], tiny['mcfg'], PathConfig('mask'), tcfg, tmp_path / 'whole', progress=False, log=lambda *a: None)
    a, b = load_file(tmp_path / 'killed' / 'model.safetensors'), load_file(tmp_path / 'whole' / 'model.safetensors')
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    assert not list(tmp_path.glob('.tmp-*')) and not list(tmp_path.glob('.old-*'))
    assert (tmp_path / 'whole').stat().st_mode & 0o777 == 0o777 & ~_umask()  # not tempfile's private 0700


def _umask():
    m = os.umask(0o022); os.umask(m); return m


# ---------------------------------------------------------------- 7: results files

def test_torn_results_line_is_reported_recovered_and_fails_required_figures(tmp_path):
    from tsdfm.config import append_jsonl, read_jsonl, ResultsFileError
    from tsdfm.evaluation import load_results
    from tsdfm.figures import synthetic_results, make_figures
    res = tmp_path / 'results'; res.mkdir()
    synthetic_results(res / 'a.jsonl')
    n = len(read_jsonl(res / 'a.jsonl'))
    with open(res / 'a.jsonl', 'a') as f: f.write('{"role": "teacher", "gen_ppl": 12')     # a writer killed mid-line
    with pytest.warns(UserWarning, match=f'a.jsonl:{n + 1}: skipped a torn last line'): assert len(load_results(res)) == n
    with pytest.raises(ResultsFileError, match=f'a.jsonl:{n + 1}: a torn last line'):
        make_figures(res, tmp_path / 'figs', 'T1', png=False, require='T1', log=lambda *a: None)
    with pytest.warns(UserWarning, match='was cut off'): append_jsonl(res / 'a.jsonl', [{'role': 'data', 'x': float('nan')}])
    rows = read_jsonl(res / 'a.jsonl')
    assert len(rows) == n + 1 and rows[-1]['x'] is None and (res / 'a.jsonl.torn').exists()
    assert (res / 'a.jsonl').stat().st_mode & 0o777 == 0o666 & ~_umask()
    with open(res / 'a.jsonl', 'a') as f: f.write('garbage\n{"role": "data"}\n')
    with pytest.raises(ResultsFileError, match=f'a.jsonl:{n + 2}: not a JSON row'): load_results(res)


def test_two_processes_append_without_losing_or_tearing_rows(tmp_path):
    code = f"""
        import sys
        from tsdfm.config import append_jsonl
        for i in range(300): append_jsonl({str(tmp_path / 'r.jsonl')!r}, [{{'writer': sys.argv[1], 'i': i, 'pad': 'x' * 3000}}])
    """
    procs = [subprocess.Popen([sys.executable, '-c', textwrap.dedent(code), w], cwd=ROOT, env=ENV)
             for w in ('a', 'b')]
    assert [p.wait() for p in procs] == [0, 0]
    from tsdfm.config import read_jsonl
    rows = read_jsonl(tmp_path / 'r.jsonl', torn='raise')
    assert sorted((r['writer'], r['i']) for r in rows) == sorted((w, i) for w in 'ab' for i in range(300))


# ---------------------------------------------------------------- 8: two jobs at once

def test_two_jobs_get_two_run_ids():
    from tsdfm.pipeline import PipelineConfig, new_run_id
    ids = {new_run_id(PipelineConfig()) for _ in range(50)}
    assert len(ids) == 50


def test_two_processes_create_the_same_teacher_once(tiny, tmp_path):
    code = f"""
        import torch; torch.set_num_threads(1)
        from tsdfm.config import DataConfig, TokenizerConfig, PathConfig, TrainConfig
        from tsdfm.data import prepare_data
        from tsdfm.train import default_model_config, get_teacher
        data = prepare_data(DataConfig(corpus={str(tiny['corpus'] / '*.txt')!r}, seq_len=16), TokenizerConfig(vocab_size=300), cache_dir={str(tmp_path / 'data')!r})
        mcfg = default_model_config('tiny', data.vocab_size, 'mask', n_layers=1, d_model=32, n_heads=2, d_cond=16, max_seq_len=16)
        tcfg = TrainConfig(steps=20, batch_size=4, warmup_steps=1, eval_every=10, eval_batches=1, checkpoint_every=10, device='cpu')
        t = get_teacher(data, mcfg, PathConfig('mask'), tcfg, {str(tmp_path / 'teacher')!r}, progress=False)
        print('TEACHER', t.teacher_id)
    """
    procs = [subprocess.Popen([sys.executable, '-c', textwrap.dedent(code)], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for _ in range(2)]
    outs = [p.communicate()[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    ids = [l.split()[1] for o in outs for l in o.splitlines() if l.startswith('TEACHER')]
    assert len(ids) == 2 and ids[0] == ids[1]
    assert sum('loaded cached teacher' in o for o in outs) == 1, outs     # one trained it, the other waited and loaded it
    assert len(list((tmp_path / 'data').glob('*/blocks.safetensors'))) == 1
