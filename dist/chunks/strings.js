/**
 * Plain-text helpers every stage uses: cutting, folding, counting, durations and money. They depend on nothing, so that scanners,
 * models and reporters can share them without depending on each other.
 */
/** Cuts to at most `max` UTF-16 units including the suffix, never between the two halves of a surrogate pair. */
function truncate(text, max, suffix = '…') {
    if (text.length <= max)
        return text;
    let cut = Math.max(0, max - suffix.length);
    if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1)))
        cut--;
    return text.slice(0, cut) + suffix;
}
/**
 * A window of at most `width` characters of a long line, around `index` (the match: about a third of the window before it), with
 * an ellipsis on each side that was cut. A line that fits is returned as it is.
 */
function cutAround(line, index, width, ellipsis = '…') {
    if (line.length <= width)
        return line;
    const room = Math.max(1, width - 2 * ellipsis.length);
    let start = Math.max(0, Math.min(index - Math.floor(room / 3), line.length - room));
    if (start > 0 && isLowSurrogate(line.charCodeAt(start)))
        start++;
    let end = Math.min(line.length, start + room);
    if (end < line.length && isHighSurrogate(line.charCodeAt(end - 1)))
        end--;
    return `${start > 0 ? ellipsis : ''}${line.slice(start, end)}${end < line.length ? ellipsis : ''}`;
}
function isLowSurrogate(code) {
    return code >= 0xdc00 && code <= 0xdfff;
}
/** Cuts to at most `maxBytes` UTF-8 bytes including the suffix (GitHub counts some limits in bytes). */
function truncateUtf8(text, maxBytes, suffix = '…') {
    if (utf8Length(text) <= maxBytes)
        return text;
    const room = maxBytes - utf8Length(suffix);
    // Every UTF-16 unit is at most 3 bytes (a surrogate pair is 4 bytes for 2 units), so room / 3 always fits; search upwards.
    let low = Math.max(0, Math.floor(room / 3));
    let high = Math.min(text.length, room);
    while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (utf8Length(text.slice(0, mid)) <= room)
            low = mid;
        else
            high = mid - 1;
    }
    let cut = low;
    if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1)))
        cut--;
    return text.slice(0, cut) + suffix;
}
function utf8Length(text) {
    return Buffer.byteLength(text, 'utf8');
}
function isHighSurrogate(code) {
    return code >= 0xd800 && code <= 0xdbff;
}
/** Every run of white space (line breaks included) becomes one space: a text that must fit on one line. */
function oneLine(text) {
    return text.replace(/\s+/g, ' ').trim();
}
/**
 * For the log: one line, no control characters, at most `max` characters. What a server, a model or a tool says must not be able to
 * start a workflow command (`::set-output`, `::add-mask`) on a line of its own.
 */
function printable(text, max) {
    // eslint-disable-next-line no-control-regex -- control characters are what must not reach the log (workflow commands, terminal escapes)
    return truncate(text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim(), max);
}
/**
 * `1,234`. Not `toLocaleString`: its first call loads ICU's number formatting, tens of milliseconds of a short CLI run, and the
 * output must not depend on the machine's locale data anyway.
 */
function formatCount(count) {
    if (!Number.isFinite(count))
        return String(count);
    const sign = count < 0 ? '-' : '';
    const [whole = '0', fraction] = String(Math.abs(count)).split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
    return `${sign}${grouped}${fraction !== undefined ? `.${fraction.slice(0, 3)}` : ''}`;
}
/** `1 finding`, `1,234 findings`. */
function plural(count, singular, pluralForm = `${singular}s`) {
    return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}
/** Code-unit order: unlike localeCompare it does not depend on the machine's locale, so outputs are byte-identical everywhere. */
function compareStrings(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/** `850 ms`, `1.2 s`, `42 s`, `5 min`, `6 min 3 s`. */
function formatDuration(ms) {
    if (!Number.isFinite(ms) || ms < 0)
        return '?';
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 10_000)
        return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')} s`;
    if (ms < 120_000)
        return `${Math.round(ms / 1000)} s`;
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}
/** A dollar amount as the user wrote it: `0.50`, and `0.032` rather than a rounded `0.03`. */
function formatUsdLimit(usd) {
    const cents = usd.toFixed(2);
    return Number(cents) === usd ? cents : String(usd);
}
/** A size in binary units: whole GiB as such (`4 GiB`), anything else in MiB (`512 MiB`). */
function formatBinaryBytes(bytes) {
    if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0)
        return `${bytes / 1024 ** 3} GiB`;
    return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

export { formatBinaryBytes as a, plural as b, truncateUtf8 as c, formatCount as d, formatUsdLimit as e, formatDuration as f, compareStrings as g, cutAround as h, oneLine as o, printable as p, truncate as t, utf8Length as u };
