"""The spread reveal order (`sampler='spread'`) on teacher 59d8997545 and its students (issue 14).

Teacher: the 1100-step default of 2026-12-05 (`--teacher_steps 1100`, artifacts/teacher-mask-tiny-9ea8924a); its
students: the SDTT and trajectory students under artifacts/students/*-9ea8924a (blind; shaped `ar` K=2/4/8, K=4
tau 0.5, `ar-pmi` K=4). Rows, 256 samples x 64 tokens each, ar-small and ar-large, appended to
paper_figures/results/20261205-spread-59d8997545.jsonl (the same run id resumes an interrupted run):
- teacher@8 and @4 with the spread order at T 1.2 / 1.1 / 1 / 0.9 / 0.8 (their frontiers), at 2 / 16 / 32 / 64 steps
  at T=1, and with the random order at 4 / 16 / 32 / 64 steps at T=1 (8 and 1024 are in the teacher's demo run);
- every student at 8 steps with the spread order at T 1.1 / 1 / 0.9, the four main ones also at 4 steps.
SmolLM2 afterwards: tsdfm-rescore paper_figures/results/20261205-spread-59d8997545.jsonl --evaluators smollm2
--run_id 20261205-spread-59d8997545-smollm2. One thread: about 15 minutes on 2 Xeon cores beside other work.
Run:  python paper_figures/probes/spread_order.py"""
import torch
from tsdfm.pipeline import EvalJob, run_evaluation

torch.set_num_threads(1)
RUN, EV, TEACHER = '20261205-spread-59d8997545', 'ar-small,ar-large', 'artifacts/teacher-mask-tiny-9ea8924a'
FRONTIER, STUDENT_T = '1.2,1.1,1.0,0.9,0.8', '1.1,1.0,0.9'
MAIN = ('sdtt-blind', 'sdtt-shaped-ar-K4', 'trajectory-blind', 'trajectory-shaped-ar-K4')
MORE = ('sdtt-shaped-ar-K2', 'sdtt-shaped-ar-K8', 'sdtt-shaped-ar-K4-tau0.5', 'sdtt-shaped-ar-pmi-K4')

def rows(checkpoint, steps, temperatures, sampler='spread', data_row=False):
    run_evaluation(EvalJob(checkpoint=checkpoint, steps=steps, temperatures=temperatures, sampler=sampler, evaluators=EV,
                           run_id=RUN, with_data_row=data_row))

rows(TEACHER, '8', FRONTIER, data_row=True)
for s in MAIN + MORE: rows(f'artifacts/students/{s}-mask-tiny-9ea8924a', '8', STUDENT_T)
rows(TEACHER, '2,16,32,64', '1.0')
rows(TEACHER, '4', FRONTIER)
rows(TEACHER, '4,16,32,64', '1.0', sampler='random')
for s in MAIN: rows(f'artifacts/students/{s}-mask-tiny-9ea8924a', '4', STUDENT_T)
