const COMMON = `Common options:
  --config FILE        targets file (default: apiproducts.yaml)
  --products DIR       product definitions (default: products)
  --target NAME        only this target; repeat for several (default: all)
  --chdir DIR          work in DIR instead of the current directory
  --no-color           no colours (also NO_COLOR=1; FORCE_COLOR=1 forces them in CI logs)
  --no-cache           parse and check every product file; do not read or write the
                       document cache (~/.cache/apiproducts or APIPRODUCTS_CACHE_DIR,
                       used from 200 product files)
  -h, --help           show help for the command`;

/** Help text per command; `apiproducts <command> --help` prints it and exits 0. */
export const HELP: Record<string, string> = {
  main: `apiproducts: API products as code, for API7 Enterprise and Apigee developer portals.

Usage: apiproducts <command> [options]

Commands:
  init       write apiproducts.yaml, an example product and the GitHub workflows
  validate   check products/ and apiproducts.yaml offline
  plan       show what apply would change on every target (read-only)
  apply      plan, confirm, then make the live portals match Git
  drift      report what differs between Git and the live portals (read-only)
  github     sticky plan comment on a pull request, apply the reviewed plan on merge, drift
             issues (for GitHub Actions)
  import     write product files for products that already exist on a target
  unlock     show or remove (--force) a target lock left by a killed apply
  sandbox    reset or serve the embedded sandbox portals

Run \`apiproducts <command> --help\` for a command's options.
Exit codes: 0 success / no changes, 1 error, 2 changes pending (plan --detailed-exitcode),
3 stale plan, 4 partial apply (some changes failed or were skipped), 130 interrupted.`,
  init: `Usage: apiproducts init [--chdir DIR]

Writes apiproducts.yaml (an embedded API7 sandbox target, and real targets as comments) and
products/example.yaml, each with a \$schema modeline for editors, into the current directory, and
the GitHub workflows .github/workflows/apiproducts-{plan,apply,drift}.yml (one that exists is
kept). Writes nothing if either file exists. Then: apiproducts validate, apiproducts plan.

Options:
  --chdir DIR          write into DIR instead of the current directory
  -h, --help           show help for the command`,
  validate: `Usage: apiproducts validate [options]

Loads apiproducts.yaml and products/, checks them against the JSON Schemas, every
provider's rules and the policies switched on (policies: or policies/*.yaml, see
docs/policies.md), and reports every problem at once as file:line:column. No network.
Exit 0 when valid (warnings allowed), 1 on any error.

${COMMON}`,
  plan: `Usage: apiproducts plan [options]

Reads every target's live products (list calls only), compares them with Git and prints
the changes apply would make. Changes nothing.

Options:
  --format text|json|markdown
                       output format (default: text); json is the plan file format,
                       markdown is for a pull-request comment
  --out FILE           also write the plan as JSON to FILE
  --detailed-exitcode  exit 2 when there are changes, 0 when there are none
  --prune              plan deletes for owned products no longer in Git (also \`prune: true\`)
  --product NAME       only this Git product; repeat for several (not with --prune)
  --github-comment     also create or update the plan comment on the pull request
                       (see \`apiproducts github --help\`); a failed plan updates it with the errors
  --skip-missing-credentials
                       plan only the targets whose credential variables (tokenEnv, usernameEnv,
                       passwordEnv) are set; each target left out is a warning in the plan
  --destructive-label NAME
                       the label the comment names for approving high-risk changes on merge
                       (default: apiproducts/allow-destructive)
${COMMON}`,
  apply: `Usage: apiproducts apply [PLAN_FILE] [options]

Plans, shows the plan, asks for confirmation, then applies the changes with bounded
concurrency, one progress line per change, and ends with a report.

With PLAN_FILE (from \`apiproducts plan --out PLAN_FILE\`), applies exactly that plan. It is refused
when it was edited, made by another format version or against another target, and, after
re-reading every target, when any object it relied on changed since (exit 3, nothing written).
It does not ask for confirmation: the saved plan is what was reviewed and approved.

Options:
  --auto-approve       skip the confirmation (required without a terminal, e.g. in CI)
  --dry-run            do everything but the writes
  --allow-destructive  also apply high-risk changes (delete, unpublish, auth changes on
                       published products); never for products marked protected
  --allow-affected N   also apply high-risk changes affecting up to N subscriptions or
                       developer apps on a target that sets maxAffected (docs/impact.md)
  --prune              delete owned products no longer in Git (also \`prune: true\`)
  --product NAME       only this Git product; repeat for several (not with --prune)
  --format text|json   json prints {plan, report} on stdout, progress on stderr
  --lock-timeout DURATION
                       wait up to DURATION (e.g. 30s, 10m) for a target another apply has
                       locked (default 0: exit 1 at once, naming the holder)
  --no-lock            do not lock the targets (only when no other apply can run)

Every target is locked on the portal itself before it is read, and unlocked at the end, so that
one apply writes at a time; the lock lapses 5 minutes after a killed run last renewed it.
Ctrl-C (SIGINT) or SIGTERM lets the changes in flight finish, skips the rest, prints the
report and exits 130. --dry-run takes no lock.
${COMMON}`,
  unlock: `Usage: apiproducts unlock TARGET [--force]

Shows who holds TARGET's apply lock; with --force, removes it. Use it when an apply was killed
and you cannot wait for its lease to lapse (5 minutes), and only when no apply is running
against TARGET: removing a running apply's lock lets a second writer in.

Options:
  --force              remove the lock records
${COMMON}`,
  drift: `Usage: apiproducts drift [options]

Read-only. For every target, what differs between Git and live, field by field with the live
and the Git value, in four groups: changed outside Git (the live product was edited since
apiproducts last wrote it), not yet applied (Git changed), missing on the target, and
orphaned (managed by apiproducts, no longer in Git). Server-filled fields and ordering never
show; fields listed under a target's \`ignore:\` in apiproducts.yaml are not compared.
Exit 2 when there is drift, 0 when there is none, 1 on error.

Options:
  --format text|json|markdown   output format (default: text); markdown is for an issue or PR
  --product NAME       only this Git product; repeat for several
  --github-issue       also open, update or close one "Drift detected: <target>" issue per
                       target (see \`apiproducts github --help\`); the exit code stays 2 on drift
${COMMON}`,
  github: `Usage: apiproducts github comment --plan PLAN_FILE [--pr NUMBER]
       apiproducts github comment --skipped REASON [--pr NUMBER] [options]
       apiproducts github apply [--pr NUMBER | --sha SHA] [--artifact NAME] [options]
       apiproducts github drift-issue --report DRIFT_JSON

For GitHub Actions. Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_EVENT_PATH (the pull request),
GITHUB_API_URL (GitHub Enterprise Server), GITHUB_SERVER_URL and GITHUB_RUN_ID (the link to the
run) and GITHUB_STEP_SUMMARY. The token is never printed.

  comment      create or update the one plan comment on the pull request, found by its hidden
               marker <!-- apiproducts:plan --> and its author (one per pull request, whatever
               the targets; older comments of ours are taken over or deleted); with --plan, the plan
               (\`apiproducts plan --out PLAN_FILE\`); beyond GitHub's 65,536 characters it keeps
               the verdict, the summary and the high-risk changes and links the run, whose step
               summary gets the full plan (1 MiB at most). With --skipped, says the plan was
               skipped and why (pull requests from forks get no secrets). Same as
               \`apiproducts plan --github-comment\`. Needs \`permissions: pull-requests: write\`.
  apply        on merge: applies the plan reviewed on the merged pull request (the artifact
               NAME, default apiproducts-plan, of the newest plan run for its head commit),
               after checking its digest, the configuration digest, its targets and that
               nothing moved on them. Missing or stale: re-plans, and applies only when the
               re-plan makes the same writes (exit 3 otherwise). High-risk changes wait (exit 2,
               nothing applied) for the label or --destructive-environment. Comments the outcome on
               the pull request. Needs \`permissions: actions: read, contents: read,
               pull-requests: write\`.
  drift-issue  per target of the report (\`apiproducts drift --format json > DRIFT_JSON\`): opens
               or updates the issue "Drift detected: <target>" with the report, or, when the
               target has no drift, comments and closes it. Same as \`apiproducts drift
               --github-issue\`. Needs \`permissions: issues: write\`.

Options:
  --plan FILE          the plan file to comment; repeat it for the plans of a matrix (one
                       target each): one comment for all of them
  --skipped REASON     comment that the plan was skipped, with this reason
  --pr NUMBER          the pull request (default: the one in GITHUB_EVENT_PATH)
  --report FILE        the drift report to turn into issues
  --sha SHA            apply: the merged commit (default GITHUB_SHA), whose pull request is applied
  --artifact NAME      apply: the plan artifact's name (default apiproducts-plan)
  --destructive-label NAME
                       the label that approves high-risk changes (default apiproducts/allow-destructive)
  --destructive-environment NAME
                       apply: this job runs in environment NAME, whose required reviewers approve
                       high-risk changes (refused when NAME has no required reviewers)
  --allow-destructive  apply: approve high-risk changes unconditionally (your own gate)
  --allow-affected N   apply: on a target with maxAffected, allow changes affecting up to N
                       subscriptions or developer apps
  --lock-timeout DURATION
                       apply: how long to wait for another run's target lock (default 0)
  --prune              apply: plan deletes when re-planning (as the plan workflow did)
${COMMON}

When GITHUB_ACTIONS=true, every command also prints its diagnostics as workflow annotations
(::error file=…,line=…,col=…::), so GitHub shows them on the YAML lines of the pull request.`,
  import: `Usage: apiproducts import [--target NAME] [--product NAME]... [--out DIR] [--adopt-from OWNER] [options]

Reads one target's live products (list calls only) and writes, for each, a product file
products/<name>.yaml (an external product's OpenAPI document goes to products/specs/), so an
existing portal moves to Git without re-creating anything. Owned and unowned products are both
imported; an unowned one gets \`adopt: true\` in its binding, so the next apply marks it as managed
instead of reporting a collision. Products another configuration manages (its owner: in
apiproducts.yaml, on a shared portal) are skipped, unless --adopt-from names that owner: then only
its products are imported, with \`adoptFrom: OWNER\` in their binding, and the next apply moves
their ownership marker to this configuration (the plan shows "ownership" changing). Changes
nothing on the target.

Never overwrites a file: a product whose file already exists, or that Git already defines, is
skipped and reported. Exit 0 when at least one product was written and none failed; 1 when none
was written (all skipped) or any could not be imported (e.g. its name is not a valid product name).

Options:
  --target NAME        the target to import from (required unless only one is defined)
  --product NAME       import only this live product, by name; repeat for several (default: all)
  --out DIR            write the files to DIR instead of the products directory
  --adopt-from OWNER   import the products managed by OWNER (another configuration's owner:;
                       '' for one without owner:) to take them over on the next apply
${COMMON}`,
  sandbox: `Usage: apiproducts sandbox <reset|serve> [options]

  reset   reseed every sandbox target (state in .apiproducts/sandbox/<target>.json)
  serve   run the sandbox targets in the foreground; prints each URL and token to use
          with curl or another client, until Ctrl-C. plan, apply, drift and import use
          a running serve's emulators; one process owns a sandbox at a time

Faults (serve only; none by default; deterministic for a given --seed):
  --latency D          delay every answer: 50ms, 1.5s, or a random 20ms-80ms
  --rate-limit R       token bucket over all requests: 100/s or 6000/min; 429 when empty
  --burst N            requests allowed at once (default: one second's worth)
  --retry-after F      how 429s say when to come back: seconds (default), http-date, none
  --fail-rate P        share of requests answered 5xx (0..1)
  --fail-status S      the 5xx to answer (default 503)
  --fail-phase W       before (default), after the change is made, or random
  --drop-rate P        share of connections destroyed without an answer (0..1)
  --drop-phase W       before, after the change is made, or random (default)
  --slow-rate P        share of answers held back by --slow-ms (default 60s)
  --slow-ms D          how long; given alone, every answer is that slow
  --seed N             seed of every random choice (default 1)
On Ctrl-C, serve prints per target the requests, 429s, failures, drops and slow answers.

${COMMON}`,
};
