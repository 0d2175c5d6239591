#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

/*
 * Typed wrappers around libcurl's variadic functions, which Swift cannot call
 * ("Variadic function is unavailable"). One wrapper per C argument type, never one per
 * option, after swift-corelibs-foundation's CFURLSessionInterface. Only
 * Sources/Collector/HTTP/Curl*.swift use them.
 */

#include <curl/curl.h>

/* The callback type, named so Swift sees one typed function pointer. */
typedef size_t (*ccurl_write_callback)(char *_Nullable data, size_t size, size_t count, void *_Nullable context);

/* MARK: - Easy handle options */

static inline CURLcode ccurl_easy_setopt_long(CURL *_Nonnull handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/* libcurl copies string options (since 7.17), so the argument need only live for the call. */
static inline CURLcode ccurl_easy_setopt_string(CURL *_Nonnull handle, CURLoption option, const char *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

/* Pointers are not copied: the caller keeps them alive while the handle may use them. */
static inline CURLcode ccurl_easy_setopt_pointer(CURL *_Nonnull handle, CURLoption option, void *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_slist(CURL *_Nonnull handle, CURLoption option,
                                               struct curl_slist *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_share(CURL *_Nonnull handle, CURLoption option, CURLSH *_Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_off_t(CURL *_Nonnull handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_easy_setopt_write_function(CURL *_Nonnull handle, CURLoption option,
                                                        ccurl_write_callback _Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

/* CURLOPT_HEADERFUNCTION has the write callback's signature. */
static inline CURLcode ccurl_easy_setopt_header_function(CURL *_Nonnull handle, CURLoption option,
                                                         ccurl_write_callback _Nullable value) {
    return curl_easy_setopt(handle, option, value);
}

/* MARK: - Easy handle information */

static inline CURLcode ccurl_easy_getinfo_long(CURL *_Nonnull handle, CURLINFO info, long *_Nonnull value) {
    return curl_easy_getinfo(handle, info, value);
}

/* The string is owned by the handle and valid until its next transfer or cleanup. */
static inline CURLcode ccurl_easy_getinfo_string(CURL *_Nonnull handle, CURLINFO info,
                                                 const char *_Nullable *_Nonnull value) {
    return curl_easy_getinfo(handle, info, (char **)value);
}

/* CURLINFO_PRIVATE. */
static inline CURLcode ccurl_easy_getinfo_pointer(CURL *_Nonnull handle, CURLINFO info,
                                                  void *_Nullable *_Nonnull value) {
    return curl_easy_getinfo(handle, info, (char **)value);
}

/* MARK: - Multi and share handle options */

static inline CURLMcode ccurl_multi_setopt_long(CURLM *_Nonnull handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/* CURLSHOPT_SHARE and CURLSHOPT_UNSHARE take an int (a curl_lock_data). */
static inline CURLSHcode ccurl_share_setopt_int(CURLSH *_Nonnull handle, CURLSHoption option, int value) {
    return curl_share_setopt(handle, option, value);
}

/* MARK: - Messages */

/* CURLMsg.data is a union; for CURLMSG_DONE it holds the transfer's result. */
static inline CURLcode ccurl_message_result(const CURLMsg *_Nonnull message) {
    return message->data.result;
}

#endif
