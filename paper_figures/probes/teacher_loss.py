"""Does the ELBO's row weighting close the teacher's entropy gap? (issue 17, item 3: the recipe chosen by measurement)

The demo's teacher recipe (tiny, bf16 where the CPU has it, 1100 steps x 64 x 64, lr 2e-3, seed 0) trained with each
loss of `PipelineConfig.teacher_loss` / `TrainConfig.loss` ('ce': every masked position of the batch counts the same, so nearly unmasked rows count
least; 'elbo': every row counts the same for the linear kappa_t), then teacher@1024 at T=1 (256 samples x 64 tokens,
no-change cache: exact for this time-independent teacher) scored under ar-small (token-weighted gen-PPL, 95% bootstrap
CI) with the mean per-sample unigram entropy, beside the held-out test row. Validation NLL (masked positions) and the
ELBO bound per token (`tsdfm.train.elbo_nll`) as well. Teachers are cached under artifacts/ (the 'ce' one is the demo's).
Rows go to paper_figures/results/teacher_loss.json (rewritten atomically after each loss: a rerun resumes).
A spec `LOSS:STEPS` trains that loss for STEPS steps instead of the demo's 1100 (same batch, lr and schedule shape):
does the entropy gap close with more training?
Run alone (nothing else on the cores):  python paper_figures/probes/teacher_loss.py [LOSS[:STEPS] ...]"""
import json, sys, time
from pathlib import Path
import torch
from tsdfm.config import PathConfig, atomic_write_text
from tsdfm.pipeline import PipelineConfig, stage_data, teacher_train_config, teacher_dir
from tsdfm.train import get_teacher, default_model_config, elbo_nll
from tsdfm.evaluation import get_evaluator, gen_ppl, bootstrap_ci, unigram_entropy, heldout_order

SPECS = sys.argv[1:] or ['ce', 'elbo']
N = 256
OUT = Path('paper_figures/results/teacher_loss.json')
cfg = PipelineConfig()
data = stage_data(cfg, log=lambda *a: None)
ev = get_evaluator('ar-small', data, root=str(cfg.root/'evaluators'), log=lambda *a: None)
done = json.loads(OUT.read_text()) if OUT.exists() else {'n_samples': N, 'threads': torch.get_num_threads(), 'evaluator': 'ar-small', 'rows': {}}
if 'data' not in done:
    blocks = data.blocks['test'][heldout_order(len(data.blocks['test']))[:N]]      # the evaluation's held-out row (evaluate_data)
    nl, _ = ev.score(data.tokenizer.batch_decode(blocks.tolist()))
    done['data'] = {'gen_ppl': gen_ppl(nl), 'ci': bootstrap_ci(nl), 'entropy': float(unigram_entropy(blocks).mean())}
for spec in SPECS:
    loss, _, steps = spec.partition(':')
    run = cfg.replace(teacher_loss=loss, **({'teacher_steps': int(steps)} if steps else {}))
    tcfg, out_dir = teacher_train_config(run), teacher_dir(run)                # the pipeline's own teacher and folder for this loss
    t0 = time.perf_counter()
    teacher = get_teacher(data, default_model_config(cfg.config, data.vocab_size, cfg.source), PathConfig(cfg.source), tcfg, out_dir, log=print)
    wall = time.perf_counter() - t0
    hist = json.loads((out_dir/'train_state.json').read_text())['history']
    elbo = elbo_nll(teacher.denoiser, teacher.path, data.blocks['valid'], n_batches=24)
    out = teacher.sample(N, 1024, seed=0, reuse_unchanged=True)
    nl, _ = ev.score(out.texts)
    done['rows'][spec] = {'train': tcfg.to_dict(), 'teacher_id': teacher.teacher_id,
                          'seconds_to_get (train, or load if cached)': wall, 'val_nll': hist[-1].get('val_nll'), 'elbo_nll': elbo, 'elbo_ppl_bound': float(torch.tensor(elbo).exp()),
                          'teacher1024_gen_ppl': gen_ppl(nl), 'teacher1024_ci': bootstrap_ci(nl),
                          'teacher1024_entropy': float(unigram_entropy(out.tokens).mean()), 'history': hist}
    atomic_write_text(OUT, json.dumps(done, indent=1))
    r = done['rows'][spec]
    print(f"{spec}: val NLL {r['val_nll']:.3f}, ELBO ppl <= {r['elbo_ppl_bound']:.1f}, teacher@1024 gen-PPL {r['teacher1024_gen_ppl']:.1f} "
          f"{tuple(round(x, 1) for x in r['teacher1024_ci'])} @ {r['teacher1024_entropy']:.3f} (data {done['data']['entropy']:.3f})", flush=True)
