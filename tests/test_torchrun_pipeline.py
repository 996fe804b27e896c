"""The README's multi-GPU command, on CPU: `torchrun --nproc_per_node 2 tsdfm-distill ...` (gloo) runs every stage
(DDP training of teacher, evaluator and students; sharded evaluation) on tiny budgets and writes one results file."""
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest

ARGS = ('--device cpu --seq_len 32 --vocab_size 512 --teacher_steps 4 --teacher_batch_size 8 --compass bigram --K 2 '
        '--n_trajectories 4 --trajectory_steps 16 --distill_steps 2 --distill_batch_size 4 --evaluators ar-small '
        '--evaluator_steps 4 --headline_only_evaluators= --n_samples 8 --eval_batch_size 2 --teacher_eval_steps 8 '
        '--student_eval_steps 8 --frontier_temperatures 0.8 --baselines confidence,greedy-tail --artifacts art --results_dir res').split()


def test_torchrun_two_ranks_end_to_end(tmp_path):
    bin_dir = Path(sys.executable).parent
    torchrun, entry = bin_dir / 'torchrun', shutil.which('tsdfm-distill', path=str(bin_dir))
    if entry is None: pytest.skip('tsdfm-distill is not installed (pip install -e .)')
    env = {**os.environ, 'OMP_NUM_THREADS': '1'}
    p = subprocess.run([str(torchrun), '--standalone', '--nproc_per_node', '2', entry, *ARGS], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    files = list((tmp_path / 'res').glob('*.jsonl'))
    assert len(files) == 1 and files[0].name.endswith('-x2.jsonl'), files          # one run id for both ranks
    rows = [json.loads(l) for l in files[0].read_text().splitlines()]
    assert {r['role'] for r in rows} == {'data', 'teacher', 'student_blind', 'student_shaped'}
    assert all(r['world_size'] == 2 and r['n_samples'] == 8 for r in rows)
    assert all(r['nfe'] == r['steps'] for r in rows if r['role'].startswith('student'))
    assert len(rows) == 1 + 2 * 2 + 2 * 2 + 2 * 2                             # data; teacher {8, 1024} x 2 T; baselines 8 x 2 T; students 8 x 2 T
    assert {r.get('sampler') for r in rows if r['role'] == 'teacher'} == {'random', 'confidence', 'greedy-tail'}
    assert 'shaped@8' in p.stdout and p.stdout.count('rows appended') == 1    # rank 0 alone logs
    assert p.stdout.count('stage times:') == 1 and 'evaluators' in p.stdout.split('stage times:')[1]   # printed once, every stage
    assert len(list((tmp_path / 'art' / 'students').glob('trajectory-shaped-bigram-K2-tau0.5-mask-tiny-*/reroutes.jsonl'))) == 1
