/* CLibXML2: the parts of libxml2 that WritReports uses — the text writer
   (RTS 22 XML), XSD schemas and streaming validation, structured errors —
   and a few inline helpers, because Swift can import neither `BAD_CAST`
   nor `xmlFree` (a C global; libxml2's default allocator is malloc, so
   `free` releases what it returns). */
#ifndef WRIT_CLIBXML2_SHIM_H
#define WRIT_CLIBXML2_SHIM_H
#include <stdlib.h>
#include <libxml/xmlversion.h>
/* Debian builds libxml2 with ICU, so encoding.h would include ICU's
   <unicode/ucnv.h>; a Swift module that also imports Foundation (which
   bundles its own ICU headers) then fails with "'UErrorCode' has different
   definitions in different modules". Nothing here touches the ICU fields
   (two pointers at the end of xmlCharEncodingHandler, never used from
   Swift), so the headers are read without them. */
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>

/* The text writer with `const char *` names and values (BAD_CAST in C). */
static inline int writ_xml_start(xmlTextWriterPtr w, const char *name) {
    return xmlTextWriterStartElement(w, (const xmlChar *)name);
}
static inline int writ_xml_start_ns(xmlTextWriterPtr w, const char *name, const char *uri) {
    return xmlTextWriterStartElementNS(w, NULL, (const xmlChar *)name, (const xmlChar *)uri);
}
static inline int writ_xml_end(xmlTextWriterPtr w) {
    return xmlTextWriterEndElement(w);
}
static inline int writ_xml_element(xmlTextWriterPtr w, const char *name, const char *value) {
    return xmlTextWriterWriteElement(w, (const xmlChar *)name, (const xmlChar *)value);
}
static inline int writ_xml_attribute(xmlTextWriterPtr w, const char *name, const char *value) {
    return xmlTextWriterWriteAttribute(w, (const xmlChar *)name, (const xmlChar *)value);
}
static inline int writ_xml_string(xmlTextWriterPtr w, const char *text) {
    return xmlTextWriterWriteString(w, (const xmlChar *)text);
}
static inline int writ_xml_raw(xmlTextWriterPtr w, const char *text) {
    return xmlTextWriterWriteRaw(w, (const xmlChar *)text);
}
static inline const char *writ_xml_buffer_bytes(xmlBufferPtr b) {
    return (const char *)xmlBufferContent(b);
}
#endif
