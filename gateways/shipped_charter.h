// The charter a ledger adopts on its first start unless given another
// (`serve --charter FILE`): charters/pesanggrahan.json, compiled into the
// binary (gateways/shipped_charter.cc.in), so that a binary copied away from
// its checkout starts as it does in it.
#pragma once

#include <string_view>

namespace pl {

std::string_view ShippedCharter();

}  // namespace pl
