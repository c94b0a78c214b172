/* Read an SQLite table with the C API and format its rows as CSV or JSON Lines in C.
 *
 * The bytes equal what exportdesk/formats/csv.py and jsonl.py write for the values that
 * Python's sqlite3 module returns. INTEGER is written as decimal digits and REAL as Python's
 * repr (the shortest text that reads back as the same double), or in orjson's layout for JSON.
 * TEXT is quoted by RFC 4180 with the profile's rules, BLOB becomes base64, and NULL becomes the
 * profile's NULL marker (JSON null).
 *
 * Python's sqlite3 module fails on TEXT that is not valid UTF-8. Such a row stops the read
 * before it with status STATUS_FALLBACK, so the caller can hand the rest of the table to the
 * general path.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_MORE 0
#define STATUS_DONE 1
#define STATUS_FALLBACK 2

typedef struct {
    char *data;
    size_t size;
    size_t capacity;
} Buffer;

static int buffer_reserve(Buffer *buffer, size_t extra) {
    if (buffer->size + extra <= buffer->capacity) {
        return 0;
    }
    size_t capacity = buffer->capacity ? buffer->capacity : 65536;
    while (capacity < buffer->size + extra) {
        capacity *= 2;
    }
    char *data = realloc(buffer->data, capacity);
    if (data == NULL) {
        return -1;
    }
    buffer->data = data;
    buffer->capacity = capacity;
    return 0;
}

static inline void buffer_put(Buffer *buffer, const char *text, size_t length) {
    memcpy(buffer->data + buffer->size, text, length);
    buffer->size += length;
}

typedef struct {
    PyObject_HEAD
    sqlite3 *db;
    sqlite3_stmt *statement;
    int column_count;
    int strip;           /* leading columns that are the key only and are not written */
    int key_index;       /* column of the order key, or -1 */
    int finished;
    char delimiter;
    char quote;
    int neutralise;
    int decimal_comma;
    char *line_end;
    size_t line_end_length;
    char *null_marker;
    size_t null_marker_length;
    unsigned char special[256]; /* bytes that make a text value quoted */
    int json;                  /* 1: JSON Lines objects, 0: CSV */
    char **json_keys;          /* per written column: '{"key":' or ',"key":' */
    size_t *json_key_lengths;
    Py_ssize_t json_key_count;
    sqlite3_value *last_key;   /* key of the last row read, unless it is an integer */
    sqlite3_int64 last_int_key;
    int last_key_is_int;
    int busy;                  /* 1 while read() formats rows without the GIL */
    Buffer buffer;
} Reader;

/* Return 1 when the bytes are UTF-8 that Python's strict decoder accepts: no overlong forms,
 * no surrogates, nothing above U+10FFFF. */
static int is_valid_utf8(const unsigned char *text, size_t length) {
    size_t i = 0;
    while (i < length) {
        unsigned char c = text[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            if (i + 1 >= length || (text[i + 1] & 0xC0) != 0x80) return 0;
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (i + 2 >= length) return 0;
            unsigned char c1 = text[i + 1];
            if ((c1 & 0xC0) != 0x80 || (text[i + 2] & 0xC0) != 0x80) return 0;
            if (c == 0xE0 && c1 < 0xA0) return 0;
            if (c == 0xED && c1 >= 0xA0) return 0;
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (i + 3 >= length) return 0;
            unsigned char c1 = text[i + 1];
            if ((c1 & 0xC0) != 0x80 || (text[i + 2] & 0xC0) != 0x80 || (text[i + 3] & 0xC0) != 0x80) return 0;
            if (c == 0xF0 && c1 < 0x90) return 0;
            if (c == 0xF4 && c1 >= 0x90) return 0;
            i += 4;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Lay out `count` significant digits whose decimal point sits after `point` of them in
 * positional notation with at least one digit after the point: 0.00123, 12.5, 1200.0. */
static int layout_positional(int negative, const char *digits, int count, int point, char *out) {
    int length = 0;
    if (negative) out[length++] = '-';
    if (point <= 0) {
        out[length++] = '0';
        out[length++] = '.';
        for (int i = 0; i < -point; i++) out[length++] = '0';
        memcpy(out + length, digits, count);
        return length + count;
    }
    if (point >= count) {
        memcpy(out + length, digits, count);
        length += count;
        for (int i = count; i < point; i++) out[length++] = '0';
        out[length++] = '.';
        out[length++] = '0';
        return length;
    }
    memcpy(out + length, digits, point);
    length += point;
    out[length++] = '.';
    memcpy(out + length, digits + point, count - point);
    return length + count - point;
}

/* Lay out the digits the way float.__repr__ does: positional when -4 < point <= 16, else
 * d.ddde[+-]XX with at least two exponent digits. */
static int layout_repr(int negative, const char *digits, int count, int point, char *out) {
    if (point > -4 && point <= 16) return layout_positional(negative, digits, count, point, out);
    int length = 0;
    if (negative) out[length++] = '-';
    out[length++] = digits[0];
    if (count > 1) {
        out[length++] = '.';
        memcpy(out + length, digits + 1, count - 1);
        length += count - 1;
    }
    int exponent = point - 1;
    return length + sprintf(out + length, "e%c%02d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
}

static const double POWERS_OF_TEN[] = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17};

/* Significant digits of a double and where its decimal point sits: value = 0.DIGITS * 10**point. */
typedef struct {
    char digits[24];
    int count;
    int point;
    int negative;
} Decimal;

/* Find the shortest digits that read back as `value`, closest to it among those, for 1e-5 <=
 * |value| < 2**53, in exact 128-bit integer arithmetic. Return 0 when the value is outside
 * that range or a tie needs the general algorithm. */
static int shortest_digits_exact(double value, Decimal *decimal) {
    int negative = signbit(value) != 0;
    double magnitude = negative ? -value : value;
    if (!(magnitude >= 1e-5 && magnitude < 9007199254740992.0)) return 0;
    int binary_exponent;
    double fraction = frexp(magnitude, &binary_exponent);
    unsigned long long significand = (unsigned long long)ldexp(fraction, 53); /* exact: 2**52 <= f < 2**53 */
    int shift = 53 - binary_exponent;                                      /* value = f / 2**shift */
    /* At a power of two the gap below is half the gap above, which this method does not handle. */
    if (significand == (1ULL << 52) || shift < 1 || shift > 120) return 0;

    /* POWERS_OF_TEN[index] is 10**(index - 6). Negative powers are inexact, so the decade may be
     * one off near a power of ten: then scaled has 16 or 18 digits, which still fit below. */
    int index = 0;
    while (index < 23 && POWERS_OF_TEN[index + 1] <= magnitude) index++;
    int decade = index - 6; /* 10**decade <= value < 10**(decade + 1) */
    int scale = 16 - decade; /* scaled = value * 10**scale has about 17 digits before the point */
    if (scale < 0 || scale > 21) return 0;
    unsigned __int128 power = 1;
    for (int i = 0; i < scale; i++) power *= 10;
    unsigned __int128 numerator = (unsigned __int128)significand * power; /* scaled = numerator / 2**shift */

    /* The doubles that read back as value lie within half a gap: [2N - 10**k, 2N + 10**k] / 2**(shift+1). */
    unsigned __int128 low = 2 * numerator - power, high = 2 * numerator + power;
    int inclusive = (significand & 1) == 0; /* a tie rounds to the even significand */
    unsigned __int128 first = low >> (shift + 1), last = high >> (shift + 1);
    if ((first << (shift + 1)) != low || !inclusive) first++;
    if ((last << (shift + 1)) == high && !inclusive) last--;
    if (first > last || last >= ((unsigned __int128)1 << 63)) return 0;
    unsigned long long candidate_low = (unsigned long long)first, candidate_high = (unsigned long long)last;

    unsigned long long whole = (unsigned long long)(numerator >> shift);
    unsigned __int128 remainder = numerator - ((unsigned __int128)whole << shift);
    /* Drop digits while some multiple of 10**drop still lies in the interval. */
    unsigned long long step = 1;
    int drop = 0;
    while (step <= candidate_high / 10) {
        unsigned long long next = step * 10;
        if ((candidate_low + next - 1) / next > candidate_high / next) break;
        step = next;
        drop++;
    }
    unsigned long long lowest = (candidate_low + step - 1) / step, highest = candidate_high / step;
    /* Of the multiples of step around scaled, take the nearer one that is in the interval. */
    unsigned long long below = whole / step, rest = whole - below * step;
    unsigned long long chosen;
    if (step == 1) {
        unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
        if (remainder == half) return 0;
        chosen = remainder > half ? below + 1 : below;
    } else {
        unsigned long long half = step / 2;
        if (rest == half && remainder == 0) return 0;
        chosen = rest >= half ? below + 1 : below;
    }
    if (chosen < lowest) chosen = lowest;
    if (chosen > highest) chosen = highest;
    int count = snprintf(decimal->digits, sizeof decimal->digits, "%llu", chosen);
    decimal->point = count + drop - scale;
    while (count > 1 && decimal->digits[count - 1] == '0') count--;
    decimal->count = count;
    decimal->negative = negative;
    return 1;
}

/* Take the digits and the decimal point from repr(value), e.g. "-1.5e-07" or "0.0001". */
static void digits_from_repr(const char *text, Decimal *decimal) {
    decimal->negative = *text == '-';
    if (decimal->negative) text++;
    int count = 0, point = 0, seen_point = 0;
    for (; *text && *text != 'e'; text++) {
        if (*text == '.') {
            seen_point = 1;
            continue;
        }
        if (count < (int)sizeof decimal->digits) decimal->digits[count++] = *text;
        if (!seen_point) point++;
    }
    if (*text == 'e') point += atoi(text + 1);
    int leading = 0;
    while (leading < count - 1 && decimal->digits[leading] == '0') leading++;
    memmove(decimal->digits, decimal->digits + leading, count - leading);
    count -= leading;
    point -= leading;
    while (count > 1 && decimal->digits[count - 1] == '0') count--;
    decimal->count = count;
    decimal->point = point;
}

/* Fill `decimal` with the digits of repr(value) for a finite value; return -1 when out of
 * memory. Outside shortest_digits_exact's range PyOS_double_to_string with mode 'r', the
 * function behind float.__repr__, gives them. It allocates with PyMem_Malloc, so it needs the
 * GIL, and reader_read releases the GIL while it formats rows. */
static int shortest_digits(double value, Decimal *decimal) {
    if (value == 0.0) {
        decimal->digits[0] = '0';
        decimal->count = 1;
        decimal->point = 1;
        decimal->negative = signbit(value) != 0;
        return 0;
    }
    if (shortest_digits_exact(value, decimal)) return 0;
    PyGILState_STATE gil = PyGILState_Ensure();
    char *text = PyOS_double_to_string(value, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (text == NULL) {
        PyErr_Clear();
        PyGILState_Release(gil);
        return -1;
    }
    digits_from_repr(text, decimal);
    PyMem_Free(text);
    PyGILState_Release(gil);
    return 0;
}

/* Lay out the digits as orjson 3.13 writes a float: positional when -5 < point <= 16, else
 * d.ddde[+-]X with no zero padding. The Python side checks this against the installed orjson
 * before it uses JSON Lines mode. */
static int layout_json(const Decimal *decimal, char *out) {
    int point = decimal->point;
    if (point > -5 && point <= 16) {
        return layout_positional(decimal->negative, decimal->digits, decimal->count, point, out);
    }
    int length = 0;
    if (decimal->negative) out[length++] = '-';
    out[length++] = decimal->digits[0];
    if (decimal->count > 1) {
        out[length++] = '.';
        memcpy(out + length, decimal->digits + 1, decimal->count - 1);
        length += decimal->count - 1;
    }
    int exponent = point - 1;
    return length + sprintf(out + length, "e%c%d", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
}

/* Write repr(value) into `out` (at least 40 bytes) and return its length, or -1 when out of
 * memory. `json` selects orjson's layout, where non-finite values are strings. */
static int format_double(double value, char *out, int json) {
    if (isnan(value) || isinf(value)) {
        const char *text = isnan(value) ? (json ? "\"NaN\"" : "nan")
                         : value > 0    ? (json ? "\"Infinity\"" : "inf")
                                        : (json ? "\"-Infinity\"" : "-inf");
        size_t length = strlen(text);
        memcpy(out, text, length);
        return (int)length;
    }
    Decimal decimal;
    if (shortest_digits(value, &decimal) < 0) return -1;
    if (json) return layout_json(&decimal, out);
    return layout_repr(decimal.negative, decimal.digits, decimal.count, decimal.point, out);
}

/* Write a 64-bit integer in decimal into `out` (at least 21 bytes); return the length. */
static int format_int64(sqlite3_int64 value, char *out) {
    char digits[24];
    int count = 0;
    unsigned long long magnitude = value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value;
    do {
        digits[count++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude);
    int length = 0;
    if (value < 0) out[length++] = '-';
    while (count) out[length++] = digits[--count];
    return length;
}

static const char BASE64_ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void put_base64(Buffer *buffer, const unsigned char *data, size_t length) {
    size_t i = 0;
    char *out = buffer->data + buffer->size;
    for (; i + 2 < length; i += 3) {
        unsigned int n = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        *out++ = BASE64_ALPHABET[(n >> 18) & 63];
        *out++ = BASE64_ALPHABET[(n >> 12) & 63];
        *out++ = BASE64_ALPHABET[(n >> 6) & 63];
        *out++ = BASE64_ALPHABET[n & 63];
    }
    if (i < length) {
        unsigned int n = data[i] << 16;
        if (i + 1 < length) n |= data[i + 1] << 8;
        *out++ = BASE64_ALPHABET[(n >> 18) & 63];
        *out++ = BASE64_ALPHABET[(n >> 12) & 63];
        *out++ = i + 1 < length ? BASE64_ALPHABET[(n >> 6) & 63] : '=';
        *out++ = '=';
    }
    buffer->size = out - buffer->data;
}

static int is_formula_start(unsigned char c) {
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Append one TEXT value with the rules of csv.py's format_text. */
static int put_text(Reader *self, const unsigned char *text, size_t length) {
    Buffer *buffer = &self->buffer;
    if (buffer_reserve(buffer, 2 * length + 4) < 0) return -1;
    if (length == 0) {
        buffer->data[buffer->size++] = self->quote;
        buffer->data[buffer->size++] = self->quote;
        return 0;
    }

    int prefix = self->neutralise && is_formula_start(text[0]);
    int quoted = prefix && self->special['\''];
    for (size_t i = 0; i < length && !quoted; i++) {
        quoted = self->special[text[i]];
    }
    if (!quoted && self->null_marker_length == length + prefix) {
        const char *marker = self->null_marker;
        quoted = (!prefix || marker[0] == '\'') && memcmp(marker + prefix, text, length) == 0;
    }

    if (!quoted) {
        if (prefix) buffer->data[buffer->size++] = '\'';
        buffer_put(buffer, (const char *)text, length);
        return 0;
    }
    char quote = self->quote;
    char *out = buffer->data + buffer->size;
    *out++ = quote;
    if (prefix) {
        *out++ = '\'';
        if (quote == '\'') *out++ = '\'';
    }
    for (size_t i = 0; i < length; i++) {
        char c = (char)text[i];
        *out++ = c;
        if (c == quote) *out++ = quote;
    }
    *out++ = quote;
    buffer->size = out - buffer->data;
    return 0;
}

static void put_decimal_comma(Buffer *buffer, const char *text, int length, int decimal_comma) {
    char *out = buffer->data + buffer->size;
    memcpy(out, text, length);
    if (decimal_comma) {
        for (int i = 0; i < length; i++) {
            if (out[i] == '.') out[i] = ',';
        }
    }
    buffer->size += length;
}

/* Append one column of the current row; return -1 on memory failure, 1 on invalid UTF-8. */
static int put_column(Reader *self, int column) {
    Buffer *buffer = &self->buffer;
    switch (sqlite3_column_type(self->statement, column)) {
    case SQLITE_INTEGER: {
        if (buffer_reserve(buffer, 24) < 0) return -1;
        buffer->size += format_int64(sqlite3_column_int64(self->statement, column), buffer->data + buffer->size);
        return 0;
    }
    case SQLITE_FLOAT: {
        char text[40];
        int length = format_double(sqlite3_column_double(self->statement, column), text, 0);
        if (length < 0) return -1;
        if (buffer_reserve(buffer, length) < 0) return -1;
        put_decimal_comma(buffer, text, length, self->decimal_comma);
        return 0;
    }
    case SQLITE_TEXT: {
        const unsigned char *text = sqlite3_column_text(self->statement, column);
        size_t length = (size_t)sqlite3_column_bytes(self->statement, column);
        if (!is_valid_utf8(text, length)) return 1;
        return put_text(self, text, length);
    }
    case SQLITE_BLOB: {
        const unsigned char *data = sqlite3_column_blob(self->statement, column);
        size_t length = (size_t)sqlite3_column_bytes(self->statement, column);
        if (buffer_reserve(buffer, (length + 2) / 3 * 4 + 2) < 0) return -1;
        if (length == 0) {
            buffer->data[buffer->size++] = self->quote;
            buffer->data[buffer->size++] = self->quote;
            return 0;
        }
        put_base64(buffer, data, length);
        return 0;
    }
    default:
        if (buffer_reserve(buffer, self->null_marker_length) < 0) return -1;
        buffer_put(buffer, self->null_marker, self->null_marker_length);
        return 0;
    }
}

static const char HEX_DIGITS[] = "0123456789abcdef";

/* Append a JSON string the way orjson escapes it: quote, backslash and control characters. */
static int put_json_string(Buffer *buffer, const unsigned char *text, size_t length) {
    if (buffer_reserve(buffer, 6 * length + 2) < 0) return -1;
    char *out = buffer->data + buffer->size;
    *out++ = '"';
    for (size_t i = 0; i < length; i++) {
        unsigned char c = text[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *out++ = (char)c;
            continue;
        }
        *out++ = '\\';
        switch (c) {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '\b': *out++ = 'b'; break;
        case '\t': *out++ = 't'; break;
        case '\n': *out++ = 'n'; break;
        case '\f': *out++ = 'f'; break;
        case '\r': *out++ = 'r'; break;
        default:
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = HEX_DIGITS[c >> 4];
            *out++ = HEX_DIGITS[c & 15];
        }
    }
    *out++ = '"';
    buffer->size = out - buffer->data;
    return 0;
}

/* Append one column as a JSON value, as jsonl.py writes the Python value of it. */
static int put_json_column(Reader *self, int column) {
    Buffer *buffer = &self->buffer;
    switch (sqlite3_column_type(self->statement, column)) {
    case SQLITE_INTEGER:
        if (buffer_reserve(buffer, 24) < 0) return -1;
        buffer->size += format_int64(sqlite3_column_int64(self->statement, column), buffer->data + buffer->size);
        return 0;
    case SQLITE_FLOAT: {
        if (buffer_reserve(buffer, 40) < 0) return -1;
        int length = format_double(sqlite3_column_double(self->statement, column), buffer->data + buffer->size, 1);
        if (length < 0) return -1;
        buffer->size += length;
        return 0;
    }
    case SQLITE_TEXT: {
        const unsigned char *text = sqlite3_column_text(self->statement, column);
        size_t length = (size_t)sqlite3_column_bytes(self->statement, column);
        if (!is_valid_utf8(text, length)) return 1;
        return put_json_string(buffer, text, length);
    }
    case SQLITE_BLOB: {
        const unsigned char *data = sqlite3_column_blob(self->statement, column);
        size_t length = (size_t)sqlite3_column_bytes(self->statement, column);
        if (buffer_reserve(buffer, (length + 2) / 3 * 4 + 2) < 0) return -1;
        buffer->data[buffer->size++] = '"';
        put_base64(buffer, data, length);
        buffer->data[buffer->size++] = '"';
        return 0;
    }
    default:
        if (buffer_reserve(buffer, 4) < 0) return -1;
        buffer_put(buffer, "null", 4);
        return 0;
    }
}

/* Check the TEXT values of the columns that are not written (the key) for valid UTF-8. */
static int stripped_columns_valid(Reader *self) {
    for (int column = 0; column < self->strip; column++) {
        if (sqlite3_column_type(self->statement, column) == SQLITE_TEXT) {
            const unsigned char *text = sqlite3_column_text(self->statement, column);
            if (!is_valid_utf8(text, (size_t)sqlite3_column_bytes(self->statement, column))) return 0;
        }
    }
    return 1;
}

/* Keep the key of the current row, which the next step may overwrite. Integer keys (rowid)
 * are kept without an allocation. */
static void save_key(Reader *self) {
    sqlite3_value *value = sqlite3_column_value(self->statement, self->key_index);
    if (self->last_key) {
        sqlite3_value_free(self->last_key);
        self->last_key = NULL;
    }
    self->last_key_is_int = sqlite3_value_type(value) == SQLITE_INTEGER;
    if (self->last_key_is_int) {
        self->last_int_key = sqlite3_value_int64(value);
    } else {
        self->last_key = sqlite3_value_dup(value);
    }
}

static PyObject *SqliteError;

static PyObject *raise_sqlite_error(Reader *self, int code) {
    const char *message = self->db ? sqlite3_errmsg(self->db) : sqlite3_errstr(code);
    PyErr_Format(SqliteError, "%s", message);
    return NULL;
}

static void reader_release(Reader *self) {
    if (self->last_key) {
        sqlite3_value_free(self->last_key);
        self->last_key = NULL;
    }
    if (self->statement) {
        sqlite3_finalize(self->statement);
        self->statement = NULL;
    }
    if (self->db) {
        sqlite3_close_v2(self->db);
        self->db = NULL;
    }
    free(self->buffer.data);
    self->buffer.data = NULL;
    self->buffer.size = self->buffer.capacity = 0;
}

static void free_json_keys(Reader *self) {
    if (self->json_keys) {
        for (Py_ssize_t i = 0; i < self->json_key_count; i++) PyMem_Free(self->json_keys[i]);
    }
    PyMem_Free(self->json_keys);
    PyMem_Free(self->json_key_lengths);
    self->json_keys = NULL;
    self->json_key_lengths = NULL;
    self->json_key_count = 0;
}

static void reader_dealloc(Reader *self) {
    free_json_keys(self);
    reader_release(self);
    PyMem_Free(self->line_end);
    PyMem_Free(self->null_marker);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static char *copy_bytes(const char *data, Py_ssize_t length) {
    char *copy = PyMem_Malloc(length + 1);
    if (copy == NULL) return NULL;
    memcpy(copy, data, length);
    copy[length] = '\0';
    return copy;
}

static int bind_parameter(Reader *self, int index, PyObject *value) {
    if (value == Py_None) return sqlite3_bind_null(self->statement, index);
    if (PyLong_Check(value)) {
        long long number = PyLong_AsLongLong(value);
        if (number == -1 && PyErr_Occurred()) return -1;
        return sqlite3_bind_int64(self->statement, index, number);
    }
    if (PyFloat_Check(value)) return sqlite3_bind_double(self->statement, index, PyFloat_AsDouble(value));
    if (PyUnicode_Check(value)) {
        Py_ssize_t length;
        const char *text = PyUnicode_AsUTF8AndSize(value, &length);
        if (text == NULL) return -1;
        return sqlite3_bind_text64(self->statement, index, text, length, SQLITE_TRANSIENT, SQLITE_UTF8);
    }
    if (PyBytes_Check(value)) {
        return sqlite3_bind_blob64(self->statement, index, PyBytes_AS_STRING(value), PyBytes_GET_SIZE(value), SQLITE_TRANSIENT);
    }
    PyErr_Format(PyExc_TypeError, "cannot bind a key value of type %s", Py_TYPE(value)->tp_name);
    return -1;
}

static int reader_init(Reader *self, PyObject *args, PyObject *kwargs) {
    static char *keywords[] = {"path", "sql", "parameters", "key_index", "strip", "delimiter", "quote", "line_end",
                               "null_marker", "neutralise", "decimal_comma", "busy_timeout_ms", "json_keys", NULL};
    const char *path, *sql, *delimiter, *quote, *line_end, *null_marker;
    Py_ssize_t delimiter_length, quote_length, line_end_length, null_marker_length;
    PyObject *parameters, *json_keys = Py_None;
    int key_index, strip, neutralise, decimal_comma, busy_timeout_ms;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "ssO!iiy#y#y#y#ppi|O", keywords, &path, &sql, &PyTuple_Type, &parameters,
                                     &key_index, &strip, &delimiter, &delimiter_length, &quote, &quote_length, &line_end,
                                     &line_end_length, &null_marker, &null_marker_length, &neutralise, &decimal_comma,
                                     &busy_timeout_ms, &json_keys)) {
        return -1;
    }
    if (delimiter_length != 1 || quote_length != 1) {
        PyErr_SetString(PyExc_ValueError, "the delimiter and the quote must be one byte each");
        return -1;
    }
    reader_release(self);
    self->delimiter = delimiter[0];
    self->quote = quote[0];
    self->neutralise = neutralise;
    self->decimal_comma = decimal_comma;
    self->key_index = key_index;
    self->strip = strip;
    self->finished = 0;
    PyMem_Free(self->line_end);
    PyMem_Free(self->null_marker);
    self->line_end = copy_bytes(line_end, line_end_length);
    self->null_marker = copy_bytes(null_marker, null_marker_length);
    if (self->line_end == NULL || self->null_marker == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->line_end_length = line_end_length;
    self->null_marker_length = null_marker_length;
    memset(self->special, 0, sizeof self->special);
    self->special[(unsigned char)self->delimiter] = 1;
    self->special[(unsigned char)self->quote] = 1;
    self->special['\n'] = 1;
    self->special['\r'] = 1;

    /* Read-write like the general path's connection, so locking and WAL files behave the same,
     * but without CREATE: a missing file is an error. Only the SELECT runs on it. */
    int code = sqlite3_open_v2(path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (code != SQLITE_OK) {
        raise_sqlite_error(self, code);
        return -1;
    }
    sqlite3_busy_timeout(self->db, busy_timeout_ms);
    code = sqlite3_prepare_v2(self->db, sql, -1, &self->statement, NULL);
    if (code != SQLITE_OK) {
        raise_sqlite_error(self, code);
        return -1;
    }
    self->column_count = sqlite3_column_count(self->statement);
    if (strip < 0 || strip > self->column_count || key_index >= self->column_count) {
        PyErr_SetString(PyExc_ValueError, "strip or key_index is outside the selected columns");
        return -1;
    }
    free_json_keys(self);
    self->json = json_keys != Py_None;
    if (self->json) {
        /* One '{"key":' or ',"key":' prefix per written column, encoded by the caller. */
        Py_ssize_t count = self->column_count - strip;
        if (!PyTuple_Check(json_keys) || PyTuple_GET_SIZE(json_keys) != count) {
            PyErr_SetString(PyExc_ValueError, "json_keys must be a tuple with one bytes prefix per written column");
            return -1;
        }
        self->json_keys = PyMem_Calloc(count ? count : 1, sizeof(char *));
        self->json_key_lengths = PyMem_Calloc(count ? count : 1, sizeof(size_t));
        if (self->json_keys == NULL || self->json_key_lengths == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        self->json_key_count = count;
        for (Py_ssize_t i = 0; i < count; i++) {
            PyObject *prefix = PyTuple_GET_ITEM(json_keys, i);
            if (!PyBytes_Check(prefix)) {
                PyErr_SetString(PyExc_TypeError, "each JSON key prefix must be bytes");
                return -1;
            }
            self->json_keys[i] = copy_bytes(PyBytes_AS_STRING(prefix), PyBytes_GET_SIZE(prefix));
            if (self->json_keys[i] == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            self->json_key_lengths[i] = PyBytes_GET_SIZE(prefix);
        }
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(parameters); i++) {
        code = bind_parameter(self, (int)i + 1, PyTuple_GET_ITEM(parameters, i));
        if (code == -1 && PyErr_Occurred()) return -1;
        if (code != SQLITE_OK) {
            raise_sqlite_error(self, code);
            return -1;
        }
    }
    return 0;
}

static PyObject *value_to_python(sqlite3_value *value) {
    switch (sqlite3_value_type(value)) {
    case SQLITE_INTEGER:
        return PyLong_FromLongLong(sqlite3_value_int64(value));
    case SQLITE_FLOAT:
        return PyFloat_FromDouble(sqlite3_value_double(value));
    case SQLITE_TEXT:
        return PyUnicode_DecodeUTF8((const char *)sqlite3_value_text(value), sqlite3_value_bytes(value), NULL);
    case SQLITE_BLOB:
        return PyBytes_FromStringAndSize(sqlite3_value_blob(value), sqlite3_value_bytes(value));
    default:
        Py_RETURN_NONE;
    }
}

/* read(max_rows, max_bytes) -> (data, rows, key of the last row or None, status) */
static PyObject *reader_read(Reader *self, PyObject *args) {
    Py_ssize_t max_rows, max_bytes;
    if (!PyArg_ParseTuple(args, "nn", &max_rows, &max_bytes)) return NULL;
    if (self->statement == NULL) {
        PyErr_SetString(PyExc_ValueError, "the reader is closed");
        return NULL;
    }
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "the reader is being read by another thread");
        return NULL;
    }
    Buffer *buffer = &self->buffer;
    buffer->size = 0;
    Py_ssize_t rows = 0;
    int status = self->finished ? STATUS_DONE : STATUS_MORE;
    int code = SQLITE_ROW;
    int failed_memory = 0;
    /* The loop runs without the GIL, so another thread can write the previous chunk meanwhile.
     * It touches only SQLite, the reader's own buffer (libc realloc) and, in the rare case of
     * shortest_digits's fallback, Python's float formatter under the GIL. */
    self->busy = 1;
    Py_BEGIN_ALLOW_THREADS
    while (status == STATUS_MORE && rows < max_rows && (Py_ssize_t)buffer->size < max_bytes) {
        code = sqlite3_step(self->statement);
        if (code == SQLITE_DONE) {
            status = STATUS_DONE;
            self->finished = 1;
            break;
        }
        if (code != SQLITE_ROW) break;
        size_t row_start = buffer->size;
        int result = stripped_columns_valid(self) ? 0 : 1;
        for (int column = self->strip; column < self->column_count && result == 0; column++) {
            if (self->json) {
                size_t key_length = self->json_key_lengths[column - self->strip];
                if (buffer_reserve(buffer, key_length) < 0) {
                    result = -1;
                    break;
                }
                buffer_put(buffer, self->json_keys[column - self->strip], key_length);
                result = put_json_column(self, column);
                continue;
            }
            if (column > self->strip) {
                if (buffer_reserve(buffer, 1) < 0) {
                    result = -1;
                    break;
                }
                buffer->data[buffer->size++] = self->delimiter;
            }
            result = put_column(self, column);
        }
        if (result == 0 && buffer_reserve(buffer, self->line_end_length) < 0) result = -1;
        if (result != 0) {
            buffer->size = row_start;
            if (result < 0) {
                failed_memory = 1;
            } else {
                status = STATUS_FALLBACK;
            }
            break;
        }
        buffer_put(buffer, self->line_end, self->line_end_length);
        rows++;
        if (self->key_index >= 0) save_key(self);
    }
    Py_END_ALLOW_THREADS
    self->busy = 0;
    if (failed_memory) return PyErr_NoMemory();
    if (status == STATUS_MORE && code != SQLITE_ROW && code != SQLITE_DONE) return raise_sqlite_error(self, code);
    PyObject *data = PyBytes_FromStringAndSize(buffer->data ? buffer->data : "", (Py_ssize_t)buffer->size);
    if (data == NULL) return NULL;
    PyObject *key;
    if (rows > 0 && self->key_index >= 0 && self->last_key_is_int) {
        key = PyLong_FromLongLong(self->last_int_key);
        if (key == NULL) {
            Py_DECREF(data);
            return NULL;
        }
    } else if (rows > 0 && self->key_index >= 0 && self->last_key) {
        key = value_to_python(self->last_key);
        if (key == NULL) {
            Py_DECREF(data);
            return NULL;
        }
    } else {
        key = Py_NewRef(Py_None);
    }
    return Py_BuildValue("(NnNi)", data, rows, key, status);
}

static PyObject *reader_close(Reader *self, PyObject *Py_UNUSED(ignored)) {
    if (self->busy) {
        PyErr_SetString(PyExc_RuntimeError, "the reader is being read by another thread");
        return NULL;
    }
    reader_release(self);
    Py_RETURN_NONE;
}

static PyObject *module_format_double(PyObject *Py_UNUSED(module), PyObject *args) {
    double value;
    int json = 0;
    if (!PyArg_ParseTuple(args, "d|p", &value, &json)) return NULL;
    char text[40];
    int length = format_double(value, text, json);
    if (length < 0) return PyErr_NoMemory();
    return PyUnicode_FromStringAndSize(text, length);
}

static PyMethodDef reader_methods[] = {
    {"read", (PyCFunction)reader_read, METH_VARARGS,
     "read(max_rows, max_bytes) -> (data, rows, key, status): format the next rows as CSV bytes."},
    {"close", (PyCFunction)reader_close, METH_NOARGS, "Finalize the statement and close the connection."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ReaderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "exportdesk.fastpath._sqlite_text.CsvReader",
    .tp_basicsize = sizeof(Reader),
    .tp_dealloc = (destructor)reader_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A read-only SQLite statement whose rows come back as CSV bytes.",
    .tp_methods = reader_methods,
    .tp_init = (initproc)reader_init,
    .tp_new = PyType_GenericNew,
};

static PyMethodDef module_methods[] = {
    {"format_double", module_format_double, METH_VARARGS,
     "format_double(value, json=False): the C formatter's text for a float, as repr() or orjson writes it."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_definition = {
    PyModuleDef_HEAD_INIT, "_sqlite_text", "SQLite rows formatted as CSV text in C.", -1, module_methods,
};

PyMODINIT_FUNC PyInit__sqlite_text(void) {
    if (PyType_Ready(&ReaderType) < 0) return NULL;
    PyObject *module = PyModule_Create(&module_definition);
    if (module == NULL) return NULL;
    SqliteError = PyErr_NewException("exportdesk.fastpath._sqlite_text.SqliteError", NULL, NULL);
    if (SqliteError == NULL || PyModule_AddObjectRef(module, "SqliteError", SqliteError) < 0 ||
        PyModule_AddObjectRef(module, "CsvReader", (PyObject *)&ReaderType) < 0 ||
        PyModule_AddIntConstant(module, "STATUS_MORE", STATUS_MORE) < 0 ||
        PyModule_AddIntConstant(module, "STATUS_DONE", STATUS_DONE) < 0 ||
        PyModule_AddIntConstant(module, "STATUS_FALLBACK", STATUS_FALLBACK) < 0) {
        Py_XDECREF(module);
        return NULL;
    }
    return module;
}
