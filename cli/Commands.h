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

// `user add|passwd|list|disable ...`
int cmdUser(const Args& a);
// `community add|list ...`
int cmdCommunity(const Args& a);
// `party add|list COMMUNITY ...`
int cmdParty(const Args& a);
// `meeting add|list COMMUNITY ...`
int cmdMeeting(const Args& a);

}  // namespace liufang::cli
