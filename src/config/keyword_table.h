// Keyword tables: for each kind of block, which keywords it accepts, whether each takes a
// { } block, and the handler that reads the statement into the model. Unknown keywords are
// warnings (keepalived skips them); a wrong block shape or bad value is an error.
//
// vigil's rule: a keyword either acts, or saying so is part of reading it. Keywords vigil
// parses (so that their syntax is still checked) but does not act on are marked with
// `unsupported`; each use is then a warning naming the keyword and its place, with the words
// "not supported". The keyword catalogue (below; config.h's keyword_catalogue()) lists every
// table, for the test that keeps this true and for docs/compatibility.md.
//
// A table for a block whose model type is T:
//   KeywordTable<VrrpScript> t;
//   t.add("interval", kw::seconds(&VrrpScript::interval, 1s, 1000s))
//    .add("weight", [](const Args& a, VrrpScript& s) { ... })
//    .alias("vrrp_track_file", "track_file");
//   t.apply(node.children, script, diags, "vrrp_script");
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "config/values.h"

namespace vigil::config {

enum class BlockUse : std::uint8_t { none, required, optional };

// One keyword of a table, as the catalogue lists it.
struct KeywordInfo {
    std::string name;
    std::string alias_of;  // empty unless the name is an alias
    BlockUse block = BlockUse::none;
    std::string unsupported;  // empty: the keyword acts; else why it does not
};

template <class T>
using Handler = std::function<void(const Args&, T&)>;

// Edit-distance suggestion for an unknown keyword ("did you mean ...?"), or empty.
std::string closest_keyword(std::string_view unknown, const std::vector<std::string_view>& known);

template <class T>
class KeywordTable {
  public:
    // A keyword without a block.
    KeywordTable& add(std::string_view name, Handler<T> h) {
        return add(name, BlockUse::none, std::move(h));
    }
    KeywordTable& add(std::string_view name, BlockUse block, Handler<T> h) {
        entries_[std::string(name)] = Entry{block, std::move(h), std::string(name), {}};
        return *this;
    }
    KeywordTable& alias(std::string_view alias_name, std::string_view of) {
        auto e = entries_.at(std::string(of));  // with its canonical name and support
        entries_[std::string(alias_name)] = std::move(e);
        return *this;
    }
    // Marks keywords (and their aliases, made before or after) as parsed but not acted on;
    // each use is reported as "'<keyword>' is not supported by vigil: <why>; ignored".
    KeywordTable& unsupported(std::initializer_list<std::string_view> names, std::string_view why) {
        for (const auto name : names) {
            const std::string canonical = entries_.at(std::string(name)).canonical;
            for (auto& [n, e] : entries_)
                if (e.canonical == canonical) e.unsupported = std::string(why);
        }
        return *this;
    }
    bool contains(std::string_view name) const { return entries_.contains(std::string(name)); }

    // Every keyword of the table, for the catalogue.
    std::vector<KeywordInfo> keywords() const {
        std::vector<KeywordInfo> out;
        out.reserve(entries_.size());
        for (const auto& [n, e] : entries_)
            out.push_back(
                {n, e.canonical == n ? std::string() : e.canonical, e.block, e.unsupported});
        return out;
    }

    void apply(const std::vector<Node>& nodes, T& target, Diagnostics& diags,
               std::string_view context) const {
        for (const auto& node : nodes) apply_one(node, target, diags, context);
    }

    void apply_one(const Node& node, T& target, Diagnostics& diags,
                   std::string_view context) const {
        const auto it = entries_.find(node.keyword.text);
        if (it == entries_.end()) {
            std::vector<std::string_view> names;
            names.reserve(entries_.size());
            for (const auto& [n, e] : entries_) names.push_back(n);
            const auto hint = closest_keyword(node.keyword.text, names);
            std::string msg = "unknown keyword '" + node.keyword.text + "' in " +
                              std::string(context) + "; skipped";
            if (!hint.empty()) msg += " (did you mean '" + hint + "'?)";
            diags.warning(node.keyword.loc, std::move(msg));
            return;
        }
        const Entry& e = it->second;
        if (e.block == BlockUse::required && !node.has_block) {
            Args a(node, diags);
            diags.error(a.loc(node.args.size()),
                        "'" + node.keyword.text + "' expects a block: expected '{'");
            return;
        }
        if (e.block == BlockUse::none && node.has_block) {
            diags.error(node.block_open.loc,
                        "'" + node.keyword.text + "' does not take a block: unexpected '{'");
            return;
        }
        e.handler(Args(node, diags), target);
        if (!e.unsupported.empty())
            diags.warning(node.keyword.loc, "'" + node.keyword.text + "' is not supported by " +
                                                "vigil: " + e.unsupported + "; ignored");
    }

  private:
    struct Entry {
        BlockUse block = BlockUse::none;
        Handler<T> handler;
        std::string canonical;
        std::string unsupported;  // empty: the keyword acts
    };
    std::map<std::string, Entry, std::less<>> entries_;
};

// The keyword catalogue: every table, under the name of the block it reads ("top level" for
// the file itself). Areas add their tables; config.h's keyword_catalogue() returns them all.
struct CataloguedTable {
    std::string context;
    std::vector<KeywordInfo> keywords;
};
using KeywordCatalogue = std::vector<CataloguedTable>;

template <class T>
void catalogue(KeywordCatalogue& c, std::string context, const KeywordTable<T>& t) {
    c.push_back({std::move(context), t.keywords()});
}

// A list block such as virtual_ipaddress { ... } or group { ... }: each line is an item
// whose words (keyword included) are the item's arguments, so `a.text(0)` is the first word.
void for_each_item(const Args& block, const std::function<void(const Args&)>& fn);

namespace kw {

template <class Field, class V>
void assign(Field& field, V&& v) {
    field = std::forward<V>(v);
}

// keyword (no argument): sets a bool to `value`.
template <class T>
Handler<T> flag(bool T::*m, bool value = true) {
    return [m, value](const Args& a, T& t) {
        if (a.count(0, 0, a.node().keyword.text)) t.*m = value;
    };
}

// keyword [<BOOL>]: a missing argument means true.
template <class T, class F>
Handler<T> boolean(F T::*m) {
    return [m](const Args& a, T& t) {
        if (!a.count(0, 1, a.node().keyword.text + " [on|off|true|false|yes|no]")) return;
        if (auto v = a.boolean(0)) assign(t.*m, *v);
    };
}

// keyword <INTEGER in [min, max]>; the field may be an integer or std::optional of one.
template <class T, class F>
Handler<T> integer(F T::*m, std::int64_t min, std::int64_t max) {
    return [m, min, max](const Args& a, T& t) {
        if (!a.count(1, 1, a.node().keyword.text + " <INTEGER>")) return;
        if (auto v = a.integer(0, min, max)) {
            using Field = std::remove_reference_t<decltype(t.*m)>;
            if constexpr (requires { typename Field::value_type; })
                t.*m = static_cast<typename Field::value_type>(*v);
            else
                t.*m = static_cast<Field>(*v);
        }
    };
}

// keyword <SECONDS with fraction in [min, max]>.
template <class T, class F>
Handler<T> seconds(F T::*m, Micros min, Micros max) {
    return [m, min, max](const Args& a, T& t) {
        if (!a.count(1, 1, a.node().keyword.text + " <SECONDS>")) return;
        if (auto v = a.seconds(0, min, max)) assign(t.*m, *v);
    };
}

// keyword <STRING>.
template <class T, class F>
Handler<T> string(F T::*m) {
    return [m](const Args& a, T& t) {
        if (!a.count(1, 1, a.node().keyword.text + " <STRING>")) return;
        assign(t.*m, a.text(0));
    };
}

// keyword <IP ADDRESS>.
template <class T, class F>
Handler<T> address(F T::*m) {
    return [m](const Args& a, T& t) {
        if (!a.count(1, 1, a.node().keyword.text + " <IP ADDRESS>")) return;
        if (auto v = a.address(0)) assign(t.*m, *v);
    };
}

// A handler of the member struct `m`, applied to t.*m.
template <class T, class C>
Handler<T> member(C T::*m, Handler<C> h) {
    return [m, h = std::move(h)](const Args& a, T& t) { h(a, t.*m); };
}

// Parses a nested block with `table` into the member `m`.
template <class T, class C>
Handler<T> block(C T::*m, const KeywordTable<C>& table) {
    return [m, &table](const Args& a, T& t) {
        a.count(0, 0, a.node().keyword.text + " {");
        table.apply(a.node().children, t.*m, a.diags(), a.node().keyword.text);
    };
}

}  // namespace kw
}  // namespace vigil::config
