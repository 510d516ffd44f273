/* ph-json-path.h
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The JSONPath subset kubectl's custom-columns uses: ".a.b", "[0]",
 * "[-1]", "[*]", ".*" and "['key.with.dots']", optionally wrapped in
 * "{…}" and starting with "$". */
typedef struct _PhJsonPath PhJsonPath;

PhJsonPath *ph_json_path_parse    (const char  *expression,
                                   GError     **error);
void        ph_json_path_free     (PhJsonPath  *self);
const char *ph_json_path_get_text (PhJsonPath  *self);
/* The matching nodes (borrowed from @root), in document order. */
GPtrArray  *ph_json_path_evaluate (PhJsonPath  *self,
                                   JsonNode    *root);
/* The matches as kubectl prints them: scalars as text, objects and arrays
 * as JSON, several matches joined by ","; NULL when nothing matches. */
char       *ph_json_path_format   (PhJsonPath  *self,
                                   JsonNode    *root);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PhJsonPath, ph_json_path_free)

G_END_DECLS
