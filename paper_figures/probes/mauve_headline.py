"""MAUVE on the demo's headline rows and its sanity cases (issue: Evaluation II), on the cached demo artifacts.

Rows: held-out test data, teacher@8, teacher@1024 at T=1 and T=0.5, blind@8 and shaped@8 (256 samples each) under
ar-small, ar-large and SmolLM2 (each row's MAUVE uses that evaluator's final hidden states as features, against
256 other test blocks (seeded, spread over the split)) -> paper_figures/results/20261202-mauve-headline.jsonl (samples beside it);
the shuffled-words sanity row (test blocks with their words shuffled) -> paper_figures/probes/mauve_sanity.jsonl.
Prints the time spent in MAUVE itself. Run from the repository root: .venv/bin/python paper_figures/probes/mauve_headline.py
"""
import random, time, json, torch
from pathlib import Path
import tsdfm.evaluation as E
from tsdfm.data import prepare_data
from tsdfm.train import load_checkpoint
from tsdfm.config import append_jsonl

torch.set_num_threads(2)
spent = []
_m = E.mauve_score
def timed(*a, **k):
    t = time.perf_counter(); out = _m(*a, **k); spent.append(time.perf_counter() - t); return out
E.mauve_score = timed

art, run = Path('artifacts'), '20261202-mauve-headline'
res = Path('paper_figures/results')/f'{run}.jsonl'
data = prepare_data(cache_dir=art/'data')
t0 = time.perf_counter()
evs = [E.get_evaluator(n, data, root=art/'evaluators') for n in ('ar-small', 'ar-large', 'smollm2')]
print(f'evaluators and their reference features: {time.perf_counter() - t0:.0f} s')
kw = dict(evaluators=evs, n_samples=256, results_path=res, run_id=run)
E.evaluate_data(data, evs, n_samples=256, results_path=res, run_id=run)
teacher = load_checkpoint(art/'teacher-mask-tiny')
E.evaluate(teacher, steps=[8], **kw)
E.evaluate(teacher, steps=[1024], temperatures=[1.0, 0.5], **kw)
for s in ('trajectory-blind-mask-tiny', 'trajectory-shaped-ar-K4-mask-tiny'): E.evaluate(load_checkpoint(art/'students'/s), steps=[8], **kw)

# sanity: the same held-out blocks with the words of each block shuffled (seeded)
rng = random.Random(0)
b = data.blocks['test']; texts = data.tokenizer.batch_decode(b[E.heldout_order(len(b))[:256]].tolist())   # the data row's blocks
shuf = [' '.join(rng.sample(t.split(' '), len(t.split(' ')))) for t in texts]
tok = torch.tensor([(ids + [data.tokenizer.eos_token_id] * 64)[:64] for ids in data.tokenizer(shuf)['input_ids']])
m = E.score_samples(tok, shuf, evs, seed=0)
rows = [E.make_row(run_id=run, corpus='kjv', role='data', checkpoint='test split, seeded sample, words shuffled within each block (seed 0)', n_samples=256,
                   seq_len=64, seed=0, **E.metric_fields(m, ev)) for ev in evs]
append_jsonl('paper_figures/probes/mauve_sanity.jsonl', rows)
print(f'MAUVE calls: {len(spent)}, {sum(spent):.1f} s in total, {sum(spent) / max(len(spent), 1):.2f} s each; whole probe {time.perf_counter() - t0:.0f} s')
