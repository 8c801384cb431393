#pragma once
// JSON text to nlohmann::json, with simdjson doing the lexing: nlohmann's own lexer was most of
// the cost of parsing an object, and every write and watch event is parsed at least once.
// The result is what nlohmann::json::parse gives, with one difference: -0 comes back as the
// unsigned 0 that "0" gives (nlohmann keeps it a signed 0: the same value, written the same).
// Any text simdjson does not take as is (invalid JSON, numbers out of range, -0.0, nesting
// deeper than 1,024) goes to nlohmann::json::parse itself, so errors and their messages stay
// nlohmann's; so do texts over 16 KiB, for which simdjson's buffers would cost more memory than
// its speed is worth.

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace certforge::kube {

// As nlohmann::json::parse(text): throws nlohmann::json::exception on invalid JSON.
nlohmann::json ParseJson(std::string_view text);

// As nlohmann::json::parse(text, nullptr, false): a discarded value on invalid JSON.
nlohmann::json ParseJsonOrDiscarded(std::string_view text);

// simdjson's path alone: nullopt for any text it leaves to nlohmann.
std::optional<nlohmann::json> ParseJsonFast(std::string_view text);

}  // namespace certforge::kube
