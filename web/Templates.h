#pragma once
// Mustache pages from templates/ (compiled into the binary). A parsed kainjow template is not
// safe to render from two threads at once (render() mutates it), so only the source text is
// shared and every render parses its own copy: a few microseconds, and no lock to contend on.
#include <kainjow/mustache.hpp>
#include <map>
#include <string>

namespace liufang::web {

class Templates {
 public:
  // Loads every embedded templates/*.mustache and checks that each one parses. Throws
  // std::runtime_error naming the first broken template, so a bad one fails start-up.
  Templates();
  // Builds from explicit {name -> source} (tests). Same checks.
  explicit Templates(std::map<std::string, std::string> sources);

  // Renders template `name` (without ".mustache") with data looked up first in page, then in
  // strings (the {{t.*}} UI texts); every template is available as a partial {{> @name}}.
  // Throws std::out_of_range for an unknown name.
  std::string render(const std::string& name, const kainjow::mustache::data& page,
                     const kainjow::mustache::data& strings) const;

  // render(name) and then the layout around it, with the page body as {{{body}}}.
  std::string renderPage(const std::string& name, const kainjow::mustache::data& page,
                         const kainjow::mustache::data& strings) const;

 private:
  void check();

  std::map<std::string, std::string> sources_;
  kainjow::mustache::data partials_;  // "@name" -> source text, for {{> @name}}
};

}  // namespace liufang::web
