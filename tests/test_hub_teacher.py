"""A public-layout teacher through the main job: `papermill nbs/distill.ipynb -p teacher_checkpoint <folder>` on a tiny
random checkpoint written in MDLM's layout (the CPU-sized stand-in of `kuleshov-group/mdlm-owt`; nothing is downloaded)."""
import json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]


def small_corpus(tmp_path) -> str:
    "60 KJV chapters as paragraphs of one local file: GPT-2 tokenization of the whole KJV would dominate the test."
    from tsdfm.data import kjv_documents
    f = tmp_path / 'corpus' / 'kjv60.txt'; f.parent.mkdir()
    f.write_text('\n\n'.join(d['text'].replace('\n\n', '\n') for d, _ in zip(kjv_documents(), range(60))))
    return str(f)


def test_distill_notebook_on_a_public_layout_teacher(tmp_path):
    pm = pytest.importorskip('papermill')
    from tsdfm.hub import write_public_layout
    from tsdfm.train import load_checkpoint
    teacher = write_public_layout(tmp_path / 'mdlm-owt-tiny', 'mdlm', model_length=64, seed=3)
    out = tmp_path / 'distill.out.ipynb'
    params = dict(teacher_checkpoint=str(teacher), tokenizer='gpt2', corpus=small_corpus(tmp_path), seq_len=32, sample_steps=8, n_show=1, compass='self', K=2,
                  n_trajectories=4, trajectory_steps=16, distill_steps=2, soft_topk=16, evaluators='ar-small', evaluator_steps=4,
                  headline_only_evaluators='', n_samples=4, frontier_temperatures='0.8', baselines='', teacher_eval_steps='8,16',
                  student_eval_steps='8', eval_batch_size=4, results_dir=str(tmp_path / 'results'), run_id='hub',
                  artifacts=str(tmp_path / 'artifacts'), device='cpu', threads=1)
    pm.execute_notebook(str(ROOT / 'nbs' / 'distill.ipynb'), str(out), parameters=params, cwd=str(ROOT), progress_bar=False)
    text = out.read_text()
    assert 'public teacher' in text and 'sampling seq_len=32' in text
    rows = [json.loads(l) for l in (tmp_path / 'results' / 'hub.jsonl').read_text().splitlines()]
    assert {r['role'] for r in rows} == {'data', 'teacher', 'student_blind', 'student_shaped'}
    assert all(r['seq_len'] == 32 and r['gen_ppl'] > 1 for r in rows)
    shaped = next((tmp_path / 'artifacts' / 'students').glob('trajectory-shaped-self-K2-tau0.5-mask-tiny-*'))
    student = load_checkpoint(shaped)                        # a tsdfm checkpoint that records its public teacher
    assert student.is_student and student.config['public_teacher']['layout'] == 'mdlm'
    assert student.config['teacher'] == str(teacher) and student.denoiser.cfg.norm_weight
    assert student.sample(2, 8).tokens.shape == (2, 32)


def test_public_teacher_of_the_other_source_is_refused(tmp_path):
    pm = pytest.importorskip('papermill')
    from tsdfm.hub import write_public_layout
    teacher = write_public_layout(tmp_path / 'duo-tiny', 'duo', model_length=64)
    with pytest.raises(Exception, match="source='uniform' where this run has source='mask'"):
        pm.execute_notebook(str(ROOT / 'nbs' / 'distill.ipynb'), str(tmp_path / 'x.ipynb'), cwd=str(ROOT), progress_bar=False,
                            parameters=dict(teacher_checkpoint=str(teacher), tokenizer='gpt2', soft_topk=64, artifacts=str(tmp_path / 'a')))
