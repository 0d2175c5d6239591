#ifndef CJANSSON_SHIM_H
#define CJANSSON_SHIM_H

/*
 * The jansson API as Swift sees it (STYLE §5): jansson.h itself, plus `cjansson_`
 * static-inline wrappers for what Swift cannot import or should not call directly:
 * the type macros (`json_typeof`, `json_is_object`), the reference-count helpers built on
 * atomic builtins, the error code stored in the last byte of `json_error_t.text`, and
 * member iteration (`json_object_foreach` is a macro; the `json_object_iter*`
 * functions replace it).
 *
 * A system-library target has no .c files, so everything here is `static inline`.
 * Only `Sources/Collector/JSON/JSONValue+Jansson.swift` imports this module.
 */

#include <jansson.h>

/* The type of a value (JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_INTEGER, JSON_REAL,
 * JSON_TRUE, JSON_FALSE, JSON_NULL). `json` is borrowed. */
static inline json_type cjansson_typeof(const json_t *_Nonnull json) {
    return json_typeof(json);
}

static inline int cjansson_is_object(const json_t *_Nullable json) {
    return json_is_object(json);
}

/* Releases a NEW reference (from json_loadb, json_object(), json_string(), ...).
 * Never call it on a borrowed reference (json_object_get, json_array_get, iterator values). */
static inline void cjansson_decref(json_t *_Nullable json) {
    json_decref(json);
}

/* The machine-readable code of a parse error (json_error_premature_end_of_input, ...). */
static inline enum json_error_code cjansson_error_code(const json_error_t *_Nonnull error) {
    return json_error_code(error);
}

/* Parses `length` bytes. Returns a NEW reference, or NULL with `error` filled in.
 * The flags travel as `size_t` in jansson; this spelling keeps the Swift call simple. */
static inline json_t *_Nullable cjansson_loadb(const void *_Nonnull bytes, size_t length, int flags,
                                               json_error_t *_Nonnull error) {
    return json_loadb((const char *)bytes, length, (size_t)flags, error);
}

/* Member iteration in document order (jansson keeps insertion order):
 *   for (void *it = cjansson_object_iter(o); it; it = cjansson_object_iter_next(o, it)) ...
 * The iterator, its key and its value are all BORROWED from `object`. */
static inline void *_Nullable cjansson_object_iter(json_t *_Nonnull object) {
    return json_object_iter(object);
}

static inline void *_Nullable cjansson_object_iter_next(json_t *_Nonnull object, void *_Nonnull iter) {
    return json_object_iter_next(object, iter);
}

static inline const char *_Nonnull cjansson_object_iter_key(void *_Nonnull iter) {
    return json_object_iter_key(iter);
}

static inline size_t cjansson_object_iter_key_len(void *_Nonnull iter) {
    return json_object_iter_key_len(iter);
}

/* BORROWED. */
static inline json_t *_Nonnull cjansson_object_iter_value(void *_Nonnull iter) {
    return json_object_iter_value(iter);
}

#endif
