// The one field-validation path of the engine: every event of every machine kind is checked
// here against its table row (workflow/EventTable.h).
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <sstream>

#include "workflow/EventTable.h"

namespace liufang::workflow {
namespace {

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

// A field error: the field's label (translated) and its name (for API clients).
Invalid fieldError(const char* msgid, const FieldDef& f) {
  return Invalid(Msg(msgid).label(f.label).arg(f.name));
}

bool isContainer(const Poco::Dynamic::Var& v) {
  return v.type() == typeid(Poco::JSON::Array::Ptr) ||
         v.type() == typeid(Poco::JSON::Object::Ptr) || v.type() == typeid(Poco::JSON::Array) ||
         v.type() == typeid(Poco::JSON::Object);
}

// CR LF and lone CR become LF (browsers send textareas with CR LF); then the text must be
// valid UTF-8 with no control character but tab and newline. A NUL would be stored whole but
// read back cut short, so the projection would no longer match the hash-chained log.
std::string cleanText(std::string s, const FieldDef& f) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  for (size_t i = 0; i < out.size();) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
        throw fieldError("The field \"{1}\" ({2}) contains a control character.", f);
      ++i;
      continue;
    }
    // Length of the sequence and the smallest code point it may encode (no overlong forms).
    int n = 0;
    uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0)
      n = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0)
      n = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0)
      n = 4, cp = c & 0x07, min = 0x10000;
    else
      throw fieldError("The field \"{1}\" ({2}) is not valid UTF-8 text.", f);
    if (i + n > out.size()) throw fieldError("The field \"{1}\" ({2}) is not valid UTF-8 text.", f);
    for (int k = 1; k < n; ++k) {
      const auto cc = static_cast<unsigned char>(out[i + k]);
      if ((cc & 0xC0) != 0x80)
        throw fieldError("The field \"{1}\" ({2}) is not valid UTF-8 text.", f);
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      throw fieldError("The field \"{1}\" ({2}) is not valid UTF-8 text.", f);
    if (cp < 0xA0)  // C1 controls
      throw fieldError("The field \"{1}\" ({2}) contains a control character.", f);
    i += n;
  }
  return out;
}

size_t codePoints(const std::string& s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

// The field's value as trimmed, checked text; "" when absent or blank.
std::string textOf(const Poco::JSON::Object& in, const FieldDef& f) {
  if (!in.has(f.name)) return {};
  const auto& v = in.get(f.name);
  if (v.isEmpty()) return {};
  if (isContainer(v)) throw fieldError("The field \"{1}\" ({2}) must be text, not a list.", f);
  std::string s;
  try {
    s = v.convert<std::string>();
  } catch (const Poco::Exception&) {
    throw fieldError("The field \"{1}\" ({2}) is malformed.", f);
  }
  s = trim(cleanText(std::move(s), f));
  if (codePoints(s) > f.maxChars)
    throw Invalid(Msg("The field \"{1}\" ({2}) is longer than {3} characters.")
                      .label(f.label)
                      .arg(f.name)
                      .arg(static_cast<long long>(f.maxChars)));
  return s;
}

// Yes / no from a JSON boolean or form text; nullopt when absent or blank.
std::optional<bool> flagOf(const Poco::JSON::Object& in, const FieldDef& f) {
  if (in.has(f.name) && in.get(f.name).isBoolean()) return in.get(f.name).extract<bool>();
  std::string v = textOf(in, f);
  std::transform(v.begin(), v.end(), v.begin(), ::tolower);
  if (v.empty()) return std::nullopt;
  if (v == "true" || v == "1" || v == "on" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "off" || v == "no") return false;
  throw fieldError("The field \"{1}\" ({2}) must be yes or no.", f);
}

// A list from a JSON array or from text separated by commas, semicolons or spaces.
Poco::JSON::Array::Ptr listOf(const Poco::JSON::Object& in, const FieldDef& f) {
  std::vector<std::string> items;
  if (in.has(f.name)) {
    const auto& v = in.get(f.name);
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
      auto arr = v.extract<Poco::JSON::Array::Ptr>();
      for (size_t i = 0; i < arr->size(); ++i) {
        Poco::JSON::Object one;
        one.set(f.name, arr->get(i));
        items.push_back(textOf(one, f));
      }
    } else if (!v.isEmpty()) {
      std::string s = textOf(in, f);
      std::replace_if(
          s.begin(), s.end(), [](char c) { return c == ',' || c == ';'; }, ' ');
      std::istringstream words(s);
      for (std::string w; words >> w;) items.push_back(w);
    }
  }
  Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
  for (const auto& i : items)
    if (!i.empty()) arr->add(i);
  return arr;
}

const std::vector<std::string> kAttendanceStatuses = {"present", "absent", "excused"};
const std::vector<std::string> kAttendanceStatusLabels = {"Present", "Absent", "Excused"};

// A positive whole number from a JSON number or text; throws naming the field.
Poco::Int64 positiveOf(const Poco::Dynamic::Var& v, const FieldDef& f) {
  Poco::JSON::Object one;
  one.set(f.name, v);
  const std::string text = textOf(one, f);
  long long n = 0;
  size_t used = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || n <= 0)
    throw fieldError("The field \"{1}\" ({2}) must be a list of positive whole numbers.", f);
  return n;
}

// Item ids in order, each once, from a JSON array or text separated by commas or spaces.
Poco::JSON::Array::Ptr itemRefsOf(const Poco::JSON::Object& in, const FieldDef& f) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  std::vector<Poco::Int64> seen;
  auto add = [&](const Poco::Dynamic::Var& v) {
    const Poco::Int64 n = positiveOf(v, f);
    if (std::find(seen.begin(), seen.end(), n) != seen.end())
      throw Invalid(Msg("The field \"{1}\" ({2}) lists item {3} twice.")
                        .label(f.label)
                        .arg(f.name)
                        .arg(static_cast<long long>(n)));
    seen.push_back(n);
    out->add(n);
  };
  if (!in.has(f.name) || in.get(f.name).isEmpty()) return out;
  const auto& v = in.get(f.name);
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto arr = v.extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < arr->size(); ++i) add(arr->get(i));
    return out;
  }
  const auto words = listOf(in, f);
  for (size_t i = 0; i < words->size(); ++i) add(words->get(i));
  return out;
}

// Attendance rows from a JSON array of objects, or from text with one "party status
// [delegate]" per line (commas or semicolons also end a row).
Poco::JSON::Array::Ptr attendanceOf(const Poco::JSON::Object& in, const FieldDef& f) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
  std::vector<std::string> parties;
  auto add = [&](const std::string& party, const std::string& status,
                 const std::string& delegate) {
    FieldDef part = f;
    Poco::JSON::Object one;
    one.set(f.name, party);
    part.maxChars = 64;
    const std::string p = textOf(one, part);
    one.set(f.name, status);
    const std::string st = textOf(one, part);
    one.set(f.name, delegate);
    part.maxChars = 100;
    const std::string d = textOf(one, part);
    if (p.empty()) throw fieldError("The field \"{1}\" ({2}) has a row without a party.", f);
    if (std::find(kAttendanceStatuses.begin(), kAttendanceStatuses.end(), st) ==
        kAttendanceStatuses.end())
      throw Invalid(Msg("The field \"{1}\" ({2}): the status of \"{3}\" must be one of: "
                        "present, absent, excused.")
                        .label(f.label)
                        .arg(f.name)
                        .arg(p));
    if (std::find(parties.begin(), parties.end(), p) != parties.end())
      throw Invalid(Msg("The field \"{1}\" ({2}) lists party \"{3}\" twice.")
                        .label(f.label)
                        .arg(f.name)
                        .arg(p));
    parties.push_back(p);
    Poco::JSON::Object::Ptr row = new Poco::JSON::Object;
    row->set("party", p);
    row->set("status", st);
    if (!d.empty()) row->set("delegate", d);
    out->add(row);
  };
  if (!in.has(f.name) || in.get(f.name).isEmpty()) return out;
  const auto& v = in.get(f.name);
  if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
    auto arr = v.extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < arr->size(); ++i) {
      auto o = arr->getObject(static_cast<unsigned>(i));
      if (!o) throw fieldError("The field \"{1}\" ({2}) must be a list of {party, status}.", f);
      auto str = [&](const char* k) {
        return o->has(k) && !o->get(k).isEmpty() && !isContainer(o->get(k))
                   ? o->get(k).convert<std::string>()
                   : std::string();
      };
      add(str("party"), str("status"), str("delegate"));
    }
    return out;
  }
  if (isContainer(v))
    throw fieldError("The field \"{1}\" ({2}) must be a list of {party, status}.", f);
  std::string text = v.convert<std::string>();
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == ',' || c == ';' || c == '\r'; }, '\n');
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string party, status, delegate, w;
    words >> party >> status;
    while (words >> w) delegate += (delegate.empty() ? "" : " ") + w;
    if (party.empty()) continue;
    add(party, status, delegate);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& attendanceStatuses() { return kAttendanceStatuses; }
const std::vector<std::string>& attendanceStatusLabels() { return kAttendanceStatusLabels; }

bool EventInfo::acceptedIn(const std::string& state) const {
  const std::string top = state.substr(0, state.find('.'));
  return std::find(from.begin(), from.end(), top) != from.end();
}

Poco::JSON::Object::Ptr validateFields(const EventInfo& event, const Poco::JSON::Object& in) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  for (const auto& f : event.fields) {
    switch (f.kind) {
      case FieldKind::Flag:
      case FieldKind::YesNo: {
        auto b = flagOf(in, f);
        if (!b && f.required) throw fieldError("Please choose \"{1}\" ({2}).", f);
        out->set(f.name, b.value_or(false));
        continue;
      }
      case FieldKind::Parties:
        out->set(f.name, listOf(in, f));
        continue;
      case FieldKind::ItemRefs:
      case FieldKind::Attendance: {
        auto list = f.kind == FieldKind::ItemRefs ? itemRefsOf(in, f) : attendanceOf(in, f);
        if (list->size() == 0 && f.required)
          throw fieldError("Missing required field \"{1}\" ({2}).", f);
        if (list->size() > 0 || f.required) out->set(f.name, list);
        continue;
      }
      default:
        break;
    }
    const std::string v = textOf(in, f);
    if (v.empty()) {
      if (f.required) throw fieldError("Missing required field \"{1}\" ({2}).", f);
      continue;
    }
    switch (f.kind) {
      case FieldKind::Date: {
        auto d = model::Date::parse(v);
        if (!d) throw fieldError("The field \"{1}\" ({2}) must be a date, YYYY-MM-DD.", f);
        out->set(f.name, d->str());
        break;
      }
      case FieldKind::Count:
      case FieldKind::ItemRef:
      case FieldKind::MeetingRef: {
        long long n = 0;
        size_t used = 0;
        try {
          n = std::stoll(v, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used != v.size() || n <= 0)
          throw fieldError("The field \"{1}\" ({2}) must be a positive whole number.", f);
        out->set(f.name, static_cast<Poco::Int64>(n));
        break;
      }
      case FieldKind::Choice: {
        if (std::find(f.choices.begin(), f.choices.end(), v) == f.choices.end()) {
          std::string list;
          for (const auto& c : f.choices) list += (list.empty() ? "" : ", ") + c;
          throw Invalid(Msg("The field \"{1}\" ({2}) must be one of: {3}.")
                            .label(f.label)
                            .arg(f.name)
                            .arg(list));
        }
        out->set(f.name, v);
        break;
      }
      default:
        out->set(f.name, v);
    }
  }
  return out;
}

Poco::JSON::Object::Ptr sampleFields(const EventInfo& event, const std::string& party,
                                     const std::vector<std::string>& parties, int64_t ref,
                                     const std::string& date) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
  for (const auto& f : event.fields) {
    if (!f.onForm) continue;
    switch (f.kind) {
      case FieldKind::Text:
      case FieldKind::LongText:
        out->set(f.name, "示例 " + f.name);
        break;
      case FieldKind::Date:
        out->set(f.name, date);
        break;
      case FieldKind::Count:
        if (f.required) out->set(f.name, 5);
        break;
      case FieldKind::Flag:
      case FieldKind::YesNo:
        out->set(f.name, true);
        break;
      case FieldKind::Choice:
        out->set(f.name, f.choices.front());
        break;
      case FieldKind::Party:
        out->set(f.name, party);
        break;
      case FieldKind::Parties: {
        Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
        for (const auto& p : parties) arr->add(p);
        out->set(f.name, arr);
        break;
      }
      case FieldKind::ItemRef:
      case FieldKind::MeetingRef:
        if (f.required) out->set(f.name, ref);
        break;
      case FieldKind::ItemRefs: {
        Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
        arr->add(ref);
        out->set(f.name, arr);
        break;
      }
      case FieldKind::Attendance: {
        Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
        for (const auto& p : parties) {
          Poco::JSON::Object::Ptr row = new Poco::JSON::Object;
          row->set("party", p);
          row->set("status", "present");
          arr->add(row);
        }
        out->set(f.name, arr);
        break;
      }
    }
  }
  return out;
}

}  // namespace liufang::workflow
