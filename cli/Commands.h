#pragma once
// The `liufang` subcommands other than serve. Each takes the arguments after its own name,
// prints its result on stdout and its refusals on stderr, and returns the process exit code
// (cli/Args.h). Errors of the liufang family and storage errors propagate to main().
#include "cli/Args.h"

namespace liufang::cli {

// `init [--demo]`: creates or migrates the database; --demo fills an empty one with the
// 桃源居 demo and prints its accounts.
int cmdInit(const Args& a);
// `verify`: checks every hash chain and replays every log; exit 2 names the first bad item.
int cmdVerify(const Args& a);
// `items [--state S]`: lists items, newest first.
int cmdItems(const Args& a);

// `backup --to FILE`: an online, verified copy of the database (model/Backup.h); prints its
// size, items, events per kind and last event. Exit 2 if the copy does not verify (then no
// file is left), 1 if FILE exists or the copy fails.
int cmdBackup(const Args& a);
// `restore --from FILE [--force]`: verifies FILE, then puts it in place of the database; an
// existing database needs --force, is kept as PATH.before-restore-<time>, and must not be open
// elsewhere (exit 1). Exit 2 if FILE does not verify (nothing changed).
int cmdRestore(const Args& a);
// `export [--format jsonl] [--with-password-hashes] [--to FILE]`: the directory and every
// stream's events with their hashes as JSON lines (workflow/Archive.h), on stdout by default.
int cmdExport(const Args& a);
// `export ledger [--community CODE] [--from DATE] [--to DATE] [--out FILE] [--lang en]`: the
// ledger CSV (cli/LedgerCommand.cpp; part of the executable, as it uses web/'s catalogs).
int cmdExportLedger(const Args& a);
// `import --from FILE --db NEW`: builds a new database from an export, checking every chain and
// replaying every stream; verified before it is named NEW. Exit 1 if NEW exists or FILE is
// refused (broken chain, truncated), 2 if the result does not verify.
int cmdImport(const Args& a);

// `user add|passwd|list|disable ...`
int cmdUser(const Args& a);
// `community add|list ...`
int cmdCommunity(const Args& a);
// `party add|list COMMUNITY ...`
int cmdParty(const Args& a);
// `meeting add|list COMMUNITY ...`
int cmdMeeting(const Args& a);

// `sweep [--holidays FILE] [--now TIME]`: one deadline sweep (for cron): a `tick` by "system"
// on each item whose light changed; idempotent. --now (a demo clock) on a demo database only.
int cmdSweep(const Args& a);

// `community webhook CODE [URL SECRET|off]`: shows, sets (SECRET "-" reads it from stdin) or
// turns off the community's webhook (cli/WebhookCommands.cpp).
int cmdCommunityWebhook(const Args& a);
// `webhook deliver`: sends the webhook deliveries due now, once (for cron and tests).
int cmdWebhook(const Args& a);

}  // namespace liufang::cli
