#pragma once
// The item as a machine kind (StreamKind "item"): ItemMachine, the item event table and the
// items / item_handlers / positions projection.
#include <memory>

#include "workflow/StreamKind.h"

namespace liufang::workflow {

// The item kind.
std::unique_ptr<StreamKind> makeItemKind();

// Every machine kind liufang knows, the item first: what the Engine registers and what
// `liufang verify` checks. Adding a kind means adding it here.
std::vector<std::unique_ptr<StreamKind>> builtinKinds();

}  // namespace liufang::workflow
