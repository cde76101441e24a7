# 嘉兴“三新”开放数据 — every task goes through make. `make help` lists the targets.
# Data flows one way: load → validate → build pages → build packages.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < requirements.txt | cut -d' ' -f1)
DATA ?= data
RELEASES ?= releases
OUT ?= build
HOST ?= 127.0.0.1
PORT ?= 8000
AXE_VERSION := 4.14.1
AXE_JS := $(VENV)/axe-core-$(AXE_VERSION)/axe.min.js
BASE ?= origin/main
NGINX_LISTEN ?= 127.0.0.1:8080
# Variables a user sets (make import FILE='x`touch p`.csv', NOTES="…") are kept exactly as typed — never expanded by
# make — and reach the recipes through the environment, where they are always quoted ("$$FILE"): neither make nor
# the shell runs anything written in them. ARGS is split into words ("$$ARGS" unquoted, globbing off), never run.
USER_VARS := FILE DATASET YEAR STAGE KIND TITLE DOC_NO SOURCE_URL ARGS SUMMARY BASE VERSION NOTES NOTES_EN DATA OUT \
	HOST PORT NGINX_LISTEN OUTPUT WORKTREE RELEASES
$(foreach v,$(USER_VARS),$(eval override $(v) := $$(value $(v))))
export $(USER_VARS)

.PHONY: axe js-test lint help install validate validate-changed diff build serve test bench fixture clean release import import-inbox inbox-commit inbox-push inbox-check docs-cli

help: ## 列出目标 / list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(STAMP) ## 安装依赖到 .venv / install pinned dependencies into .venv

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $@

validate: install ## 校验数据 / validate data/ (every problem, file:line)
	$(PY) -m scripts validate "$$DATA"

validate-changed: install ## 只校验自 BASE 以来改动涉及的数据集，已发布版本须不变 / PR fast path: datasets touched since BASE (default origin/main); published releases unchanged
	@$(PY) -m scripts release --verify --base "$$BASE" --releases "$$RELEASES" || exit 1; \
	touched="$$($(PY) -m scripts diff "$$BASE" --merge-base --working-tree --touched --data-path "$$DATA")" || exit 1; \
	if [ -z "$$touched" ]; then echo "没有改动任何数据集 / no dataset touched since $$BASE"; \
	else echo "快速校验改动涉及的数据集 / validating touched datasets:" $$touched; \
	$(PY) -m scripts validate "$$DATA" -q $$(printf -- '--only %s ' $$touched); fi

diff: install ## 数据变更摘要（已提交的内容；WORKTREE=1 含未提交的修改）/ record-level changes from BASE to HEAD as committed (WORKTREE=1: the files on disk; SUMMARY=FILE appends)
	@$(PY) -m scripts diff "$$BASE" --merge-base $(if $(WORKTREE),--working-tree) --data-path "$$DATA" $(if $(SUMMARY),--append "$$SUMMARY")

import: install ## 导入名单附件 / import an official attachment: make import FILE=附件1.xlsx DATASET=recognitions YEAR=2021 [STAGE= KIND= TITLE= DOC_NO= SOURCE_URL= ARGS=]
	@test -n "$$FILE" -a -n "$$DATASET" || { echo "用法 / usage: make import FILE=附件1.xlsx DATASET=recognitions YEAR=2021 STAGE=认定 KIND=首台（套）装备 SOURCE_URL=https://… [ARGS=\"--dry-run\"]"; exit 2; }
	@set -f; $(PY) -m scripts import "$$FILE" --dataset "$$DATASET" --data "$$DATA" $(if $(YEAR),--year "$$YEAR") \
	$(if $(STAGE),--stage "$$STAGE") $(if $(KIND),--list-kind "$$KIND") $(if $(TITLE),--list-title "$$TITLE") \
	$(if $(DOC_NO),--doc-no "$$DOC_NO") $(if $(SOURCE_URL),--source-url "$$SOURCE_URL") $$ARGS

import-inbox: install ## 导入 inbox/ 中的附件及其说明文件 / import every attachment in inbox/ (SUMMARY=FILE appends the reports; rows to $(OUT)/import)
	$(PY) -m scripts import-inbox inbox --data "$$DATA" --out "$$OUT/import" $(if $(SUMMARY),--summary "$$SUMMARY")

inbox-commit: install ## 把导入的数据行和审核记录提交到当前分支并删除附件 / commit the imported rows + record, remove the attachments (after import-inbox)
	$(PY) -m scripts inbox-commit inbox --data "$$DATA" --out "$$OUT/import" $(if $(SUMMARY),--summary "$$SUMMARY") $(if $(OUTPUT),--output "$$OUTPUT")

inbox-push: install ## 推送导入提交到拉取请求的分支并启动检查 / push the import commit to the PR branch (token from the environment only), start its checks
	$(PY) -m scripts inbox-push

inbox-check: install ## inbox/ 中不能有遗留的附件 / fail when an attachment or sidecar is left in inbox/ (SUMMARY=FILE gets the steps)
	$(PY) -m scripts inbox-check inbox --out "$$OUT/import" $(if $(SUMMARY),--summary "$$SUMMARY")

build: install ## 校验并生成站点到 build/site / validate and build the site into $(OUT)/site
	$(PY) -m scripts build --data "$$DATA" --out "$$OUT"

serve: build ## 生成站点并在 http://$(HOST):$(PORT) 提供服务 / build, then serve $(OUT)/site
	@echo "→ http://$$HOST:$$PORT/"
	$(PY) -m http.server --bind "$$HOST" --directory "$$OUT/site" "$$PORT"

axe: $(AXE_JS) ## 安装 axe-core（无障碍测试，npm 包，固定版本）/ fetch the pinned axe-core from the npm registry

$(AXE_JS):
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	@mkdir -p $(dir $@) && tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null && tar xzf axe-core-$(AXE_VERSION).tgz) && cp $$tmp/package/axe.min.js $@ && rm -rf $$tmp

fixture: install ## 生成 2027 规模合成数据 / write the 2027-shape fixture to build/fixture
	$(PY) -m scripts fixture --out "$$OUT/fixture"

bench: install ## 性能基准 / benchmark figures at 1x and 10x
	$(PY) -m scripts bench

docs-cli: install ## 由各命令的 --help 重写 docs/cli.md / rewrite the CLI reference docs/cli.md from every command's --help
	$(PY) -m scripts docs-cli

test: install lint js-test browser axe nginx ## 运行全部测试 / run every test (Python lint + types, JavaScript lint + unit, Python unit, golden pages, real Chromium)
	$(PY) -m pytest

lint: install ## 检查 Python 代码风格和类型 / ruff (pyproject.toml [tool.ruff]) on scripts/ and tests/, mypy ([tool.mypy]) on scripts/
	$(PY) -m ruff check scripts tests
	$(PY) -m mypy

NODE_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)

js-test: $(NODE_STAMP) ## 检查并测试站点 JavaScript / lint the site's JavaScript (ESLint) and run its unit tests (node --test tests/js/)
	npx --no-install eslint site/assets tests/js eslint.config.js
	node --test --test-reporter=spec tests/js/

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	npm ci --no-audit --no-fund
	@rm -f node_modules/.installed-* && touch $@

browser: ## 确保 Debian chromium 已安装 / make sure Debian chromium is installed (root)
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; }

release: install ## 发布新版本 / record a release: make release VERSION=2025.2 NOTES="…" NOTES_EN="…"
	@test -n "$$VERSION" || { echo "用法 / usage: make release VERSION=2025.2 NOTES=\"…\" NOTES_EN=\"…\""; exit 2; }
	$(PY) -m scripts release --version "$$VERSION" --notes "$$NOTES" --notes-en "$$NOTES_EN" --data "$$DATA"

clean: ## 删除构建输出 / remove build output
	rm -rf -- "$$OUT"

# ── nginx: the site as a government host serves it (deploy/nginx/, docs/deploy.md) ──

.PHONY: serve-nginx nginx
nginx: ## 确保 Debian nginx 已安装 / make sure Debian nginx is installed (root; the nginx tests need it)
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { test "$$(id -u)" = 0 || { echo "✗ 没有 nginx，请以 root 运行 make nginx | nginx missing: run make nginx as root (apt-get install nginx)"; exit 1; }; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }

serve-nginx: build ## 用 nginx 在 http://$(NGINX_LISTEN) 提供站点（前台，gzip/缓存/CSP）/ serve $(OUT)/site with nginx in the foreground
	@conf_cmd="$$($(PY) -m scripts nginx-config --root "$$OUT/site" --listen "$$NGINX_LISTEN" --prefix "$$OUT/nginx")" || exit 1; \
	set -- $$conf_cmd; command -v "$$1" >/dev/null 2>&1 || { echo "✗ 没有 nginx，请安装：apt-get install nginx | nginx not installed: apt-get install nginx"; exit 1; }; \
	echo "→ http://$$NGINX_LISTEN/  (Ctrl-C 停止 / to stop)"; exec "$$@"
