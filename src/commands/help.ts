const COMMON = `Common options:
  --config FILE        targets file (default: apiproducts.yaml)
  --products DIR       product definitions (default: products)
  --target NAME        only this target; repeat for several (default: all)
  --chdir DIR          work in DIR instead of the current directory
  -h, --help           show help for the command`;

/** Help text per command; `apiproducts <command> --help` prints it and exits 0. */
export const HELP: Record<string, string> = {
  main: `apiproducts: API products as code, for API7 Enterprise and Apigee developer portals.

Usage: apiproducts <command> [options]

Commands:
  validate   check products/ and apiproducts.yaml offline
  plan       show what apply would change on every target (read-only)
  apply      plan, confirm, then make the live portals match Git
  drift      report what differs between Git and the live portals (read-only)
  sandbox    reset or serve the embedded sandbox portals

Run \`apiproducts <command> --help\` for a command's options.
Exit codes: 0 success / no changes, 1 error, 2 changes pending (plan --detailed-exitcode),
3 stale plan, 4 partial apply (some changes failed or were skipped).`,
  validate: `Usage: apiproducts validate [options]

Loads apiproducts.yaml and products/, checks them against the JSON Schemas and every
provider's rules, and reports every problem at once as file:line:column. No network.
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
${COMMON}`,
  apply: `Usage: apiproducts apply [PLAN_FILE] [options]

Plans, shows the plan, asks for confirmation, then applies the changes with bounded
concurrency, one progress line per change, and ends with a report.

With PLAN_FILE (from \`apiproducts plan --out PLAN_FILE\`), applies exactly that plan. It is refused
when it was edited, made by another format version or against another target, and, after
re-reading every target, when any object it relied on changed since (exit 3, nothing written).

Options:
  --auto-approve       skip the confirmation (required without a terminal, e.g. in CI)
  --dry-run            do everything but the writes
  --allow-destructive  also apply high-risk changes (delete, unpublish, auth changes on
                       published products); never for products marked protected
  --prune              delete owned products no longer in Git (also \`prune: true\`)
  --format text|json   json prints {plan, report} on stdout, progress on stderr
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
${COMMON}`,
  sandbox: `Usage: apiproducts sandbox <reset|serve> [options]

  reset   reseed every sandbox target (state in .apiproducts/sandbox/<target>.json)
  serve   run the sandbox targets in the foreground; prints each URL and token to use
          with curl or another client, until Ctrl-C

${COMMON}`,
};
