#pragma once
// The project's error family. Thrown below the web layer, caught at the web boundary and
// mapped to a status in one place (Refused/Conflict -> 409, Forbidden -> 403,
// NotFound -> 404, Invalid -> 400).
//
// Reasons are English msgids with arguments (Msg); the web boundary translates them through
// the gettext catalogs, so web/i18n/zh_CN.po is the one place the Chinese text lives.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace liufang {

// A sentence for people: an English msgid whose "{1}", "{2}", ... (Boost.Locale format
// syntax, so a translation may reorder them) are filled with arguments. An argument is either
// shown as it is (a name, a number, a date) or is itself a msgid to translate (a label).
class Msg {
 public:
  struct Arg {
    std::string text;
    bool translate = false;
  };

  Msg() = default;
  Msg(std::string id) : id_(std::move(id)) {}  // NOLINT: implicit, so throw Invalid("...") reads
  Msg(const char* id) : id_(id) {}             // NOLINT

  // Appends the next argument, shown as it is.
  Msg& arg(std::string value) {
    args_.push_back({std::move(value), false});
    return *this;
  }
  Msg& arg(long long value) { return arg(std::to_string(value)); }
  // Appends the next argument as a msgid that is translated too (a state or event label).
  Msg& label(std::string msgid) {
    args_.push_back({std::move(msgid), true});
    return *this;
  }

  const std::string& id() const { return id_; }
  const std::vector<Arg>& args() const { return args_; }
  bool empty() const { return id_.empty(); }

  // The msgid with every {n} replaced by its argument, untranslated: the English sentence.
  std::string english() const {
    return fill(id_, [](const Arg& a) { return a.text; });
  }

  // Replaces {1}..{n} in text with render(arg) ("{{" is a literal brace, as in Boost.Locale).
  template <class Render>
  std::string fill(const std::string& text, Render render) const {
    std::string out;
    out.reserve(text.size() + 32);
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '{' && i + 1 < text.size() && text[i + 1] == '{') {
        out += '{';
        ++i;
        continue;
      }
      if (text[i] == '{') {
        const size_t close = text.find('}', i);
        if (close != std::string::npos) {
          try {
            const size_t n = std::stoul(text.substr(i + 1, close - i - 1));
            if (n >= 1 && n <= args_.size()) {
              out += render(args_[n - 1]);
              i = close;
              continue;
            }
          } catch (const std::exception&) {
            // not a placeholder: keep the brace as text
          }
        }
      }
      out += text[i];
    }
    return out;
  }

 private:
  std::string id_;
  std::vector<Arg> args_;
};

// Base of every error liufang raises on purpose. what() is the English sentence (for logs and
// the command line); message() is what the web boundary translates for a person.
class Error : public std::runtime_error {
 public:
  explicit Error(Msg msg) : std::runtime_error(msg.english()), msg_(std::move(msg)) {}
  const Msg& message() const noexcept { return msg_; }
  // The English sentence (same as what()).
  std::string english() const { return what(); }
  // Stable machine code used by the JSON API: refused|forbidden|not_found|conflict|invalid.
  virtual const char* code() const noexcept = 0;

 private:
  Msg msg_;
};

// The event is not allowed in the stream's current state, or a guard failed.
class Refused : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "refused"; }
};

// The actor's role or party may not fire this event on this stream.
class Forbidden : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "forbidden"; }
};

// No such item, meeting, user, party or community.
class NotFound : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "not_found"; }
};

// Someone else changed the stream first (version mismatch), or a uniqueness clash.
class Conflict : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "conflict"; }
};

// A field is missing or malformed.
class Invalid : public Error {
 public:
  using Error::Error;
  const char* code() const noexcept override { return "invalid"; }
};

// The database is unusable as it is (written by a newer liufang, corrupt, unreachable).
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace liufang
