/* ph-sim-http.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "ph-sim-server-private.h"

#define CONTROL_PATH "/porthole-sim/v1/control"

/* Responses. */

char *
ph_sim_status_json (guint       code,
                    const char *reason,
                    const char *message,
                    const char *continue_token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "Status");
  json_builder_set_member_name (builder, "apiVersion");
  json_builder_add_string_value (builder, "v1");
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  if (continue_token != NULL)
    {
      json_builder_set_member_name (builder, "continue");
      json_builder_add_string_value (builder, continue_token);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, code < 300 ? "Success" : "Failure");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  if (code == 429 || code == 504)
    {
      json_builder_set_member_name (builder, "details");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "retryAfterSeconds");
      json_builder_add_int_value (builder, 1);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
send_status_full (SoupServerMessage *msg,
                  guint              code,
                  const char        *reason,
                  const char        *message,
                  const char        *continue_token)
{
  char *body = ph_sim_status_json (code, reason, message, continue_token);

  soup_server_message_set_status (msg, code, NULL);
  if (code == 429)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Retry-After", "1");
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    body, strlen (body));
}

void
ph_sim_send_status (SoupServerMessage *msg,
                    guint              code,
                    const char        *reason,
                    const char        *message)
{
  send_status_full (msg, code, reason, message, NULL);
}

static void
send_string (SoupServerMessage *msg,
             GString           *body)
{
  gsize length = body->len;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), length);
}

static void
send_text (SoupServerMessage *msg,
           const char        *text)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

/* Discovery. */

static const char *
verbs_for (PhSimResId res)
{
  switch (res)
    {
    case PH_SIM_RES_PODS:
      return "[\"delete\",\"get\",\"list\",\"watch\"]";
    case PH_SIM_RES_DEPLOYMENTS:
      return "[\"get\",\"list\",\"patch\",\"watch\"]";
    default:
      return "[\"get\",\"list\",\"watch\"]";
    }
}

static void
send_resource_list (SoupServerMessage *msg,
                    const char        *group,
                    const char        *version)
{
  GString *s = g_string_new (NULL);
  gboolean first = TRUE;

  g_string_append_printf (s, "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\","
                          "\"groupVersion\":\"%s%s%s\",\"resources\":[",
                          group, group[0] ? "/" : "", version);
  for (guint i = 0; i < PH_SIM_N_RES; i++)
    {
      const PhSimResource *r = &ph_sim_resources[i];

      if (strcmp (r->group, group) != 0 || strcmp (r->version, version) != 0)
        continue;

      g_string_append_printf (s, "%s{\"name\":\"%s\",\"singularName\":\"%s\",\"namespaced\":%s,"
                              "\"kind\":\"%s\",\"verbs\":%s,\"shortNames\":%s,\"categories\":%s,"
                              "\"storageVersionHash\":\"%08x\"}",
                              first ? "" : ",", r->resource, r->singular,
                              r->namespaced ? "true" : "false", r->kind, verbs_for (i),
                              r->short_names, r->categories, g_str_hash (r->kind));
      first = FALSE;
      if (i == PH_SIM_RES_PODS)
        g_string_append (s, ",{\"name\":\"pods/status\",\"singularName\":\"\",\"namespaced\":true,"
                         "\"kind\":\"Pod\",\"verbs\":[\"get\"]}");
      if (i == PH_SIM_RES_DEPLOYMENTS)
        g_string_append (s, ",{\"name\":\"deployments/scale\",\"singularName\":\"\",\"namespaced\":true,"
                         "\"group\":\"autoscaling\",\"version\":\"v1\",\"kind\":\"Scale\","
                         "\"verbs\":[\"get\",\"patch\",\"update\"]}");
    }
  g_string_append (s, "]}");

  if (first)
    {
      g_string_free (s, TRUE);
      ph_sim_send_status (msg, 404, "NotFound", "the server could not find the requested resource");
      return;
    }

  send_string (msg, s);
}

/* In the order a real API server lists them. */
static const char *const api_groups[] = {
  "apps", "batch", "networking.k8s.io", "storage.k8s.io", "apiextensions.k8s.io",
  "discovery.k8s.io", "demo.porthole.io",
};

static void
append_api_group (GString    *s,
                  const char *group)
{
  g_string_append_printf (s, "{\"name\":\"%s\",\"versions\":[{\"groupVersion\":\"%s/v1\",\"version\":\"v1\"}],"
                          "\"preferredVersion\":{\"groupVersion\":\"%s/v1\",\"version\":\"v1\"}}",
                          group, group, group);
}

static gboolean
handle_discovery (PhSimServer       *self,
                  SoupServerMessage *msg,
                  char             **parts,
                  guint              n_parts)
{
  if (n_parts == 1 && strcmp (parts[0], "version") == 0)
    {
      send_text (msg, "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.4-porthole-sim\","
                 "\"gitCommit\":\"0000000000000000000000000000000000000000\",\"gitTreeState\":\"clean\","
                 "\"buildDate\":\"2026-01-01T00:00:00Z\",\"goVersion\":\"go1.22.5\",\"compiler\":\"gc\","
                 "\"platform\":\"linux/amd64\"}");
      return TRUE;
    }

  if (n_parts == 1 && (strcmp (parts[0], "healthz") == 0 || strcmp (parts[0], "readyz") == 0 ||
                       strcmp (parts[0], "livez") == 0))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
      return TRUE;
    }

  if (n_parts == 1 && strcmp (parts[0], "api") == 0)
    {
      g_autofree char *body = g_strdup_printf ("{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],"
                                               "\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\","
                                               "\"serverAddress\":\"127.0.0.1:%u\"}]}", self->port);
      send_text (msg, body);
      return TRUE;
    }

  if (n_parts == 2 && strcmp (parts[0], "api") == 0)
    {
      send_resource_list (msg, "", parts[1]);
      return TRUE;
    }

  if (n_parts == 1 && strcmp (parts[0], "apis") == 0)
    {
      GString *s = g_string_new ("{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[");

      for (guint i = 0; i < G_N_ELEMENTS (api_groups); i++)
        {
          if (i > 0)
            g_string_append_c (s, ',');
          append_api_group (s, api_groups[i]);
        }
      g_string_append (s, "]}");
      send_string (msg, s);
      return TRUE;
    }

  if (n_parts == 2 && strcmp (parts[0], "apis") == 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (api_groups); i++)
        if (strcmp (parts[1], api_groups[i]) == 0)
          {
            GString *s = g_string_new ("{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\",");

            append_api_group (s, api_groups[i]);
            /* Splice the group's members into this object. */
            g_string_erase (s, strlen ("{\"kind\":\"APIGroup\",\"apiVersion\":\"v1\","), 1);
            send_string (msg, s);
            return TRUE;
          }
      ph_sim_send_status (msg, 404, "NotFound", "the server could not find the requested resource");
      return TRUE;
    }

  if (n_parts == 3 && strcmp (parts[0], "apis") == 0)
    {
      send_resource_list (msg, parts[1], parts[2]);
      return TRUE;
    }

  return FALSE;
}

/* Continue tokens and consistent snapshots. */

static void
snapshot_free (gpointer data)
{
  PhSimSnapshot *snapshot = data;

  g_ptr_array_unref (snapshot->items);
  g_free (snapshot->namespace_);
  g_free (snapshot);
}

static void
ensure_snapshots (PhSimServer *self)
{
  if (self->snapshots == NULL)
    self->snapshots = g_hash_table_new_full (NULL, NULL, NULL, snapshot_free);
}

void
ph_sim_snapshots_clear (PhSimServer *self)
{
  g_clear_pointer (&self->snapshots, g_hash_table_unref);
  g_queue_clear (&self->snapshot_order);
}

static PhSimSnapshot *
snapshot_new (PhSimServer *self,
              PhSimResId   res,
              const char  *namespace_,
              guint64      rv,
              GPtrArray   *items,
              guint       *out_id)
{
  PhSimSnapshot *snapshot = g_new0 (PhSimSnapshot, 1);
  guint id = ++self->next_snapshot_id;

  ensure_snapshots (self);

  snapshot->res = res;
  snapshot->namespace_ = g_strdup (namespace_);
  snapshot->rv = rv;
  snapshot->created = g_get_monotonic_time ();
  snapshot->items = g_ptr_array_ref (items);

  g_hash_table_insert (self->snapshots, GUINT_TO_POINTER (id), snapshot);
  g_queue_push_tail (&self->snapshot_order, GUINT_TO_POINTER (id));
  while (self->snapshot_order.length > PH_SIM_MAX_SNAPSHOTS)
    g_hash_table_remove (self->snapshots, g_queue_pop_head (&self->snapshot_order));

  *out_id = id;
  return snapshot;
}

static char *
encode_continue (guint64     rv,
                 const char *start_key,
                 guint       snapshot_id,
                 guint       position)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *start = g_strconcat (start_key, "\001", NULL);
  g_autofree char *text = NULL;

  /* Shaped like the apiserver's token, plus where our snapshot is. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "v");
  json_builder_add_string_value (builder, "meta.k8s.io/v1");
  json_builder_set_member_name (builder, "rv");
  json_builder_add_int_value (builder, rv);
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, start);
  json_builder_set_member_name (builder, "sid");
  json_builder_add_int_value (builder, snapshot_id);
  json_builder_set_member_name (builder, "pos");
  json_builder_add_int_value (builder, position);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return g_base64_encode ((const guchar *) text, strlen (text));
}

typedef struct {
  guint64  rv;
  char    *start;     /* the key to continue after */
  guint    snapshot_id;
  guint    position;
} ContinueToken;

static gboolean
decode_continue (const char     *token,
                 ContinueToken  *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guchar *data = NULL;
  gsize length = 0;
  JsonObject *object;
  const char *start;

  data = g_base64_decode (token, &length);
  if (data == NULL || length == 0 ||
      !json_parser_load_from_data (parser, (const char *) data, length, NULL))
    return FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  start = json_object_get_string_member_with_default (object, "start", NULL);
  if (start == NULL || !g_str_has_suffix (start, "\001") ||
      json_object_get_int_member_with_default (object, "rv", 0) <= 0)
    return FALSE;

  out->rv = json_object_get_int_member (object, "rv");
  out->start = g_strndup (start, strlen (start) - 1);
  out->snapshot_id = json_object_get_int_member_with_default (object, "sid", 0);
  out->position = json_object_get_int_member_with_default (object, "pos", 0);
  return TRUE;
}

static guint
position_after (GPtrArray  *items,
                const char *key)
{
  guint lo = 0, hi = items->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      PhSimObj *obj = g_ptr_array_index (items, mid);

      if (strcmp (obj->key, key) <= 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* Lists and tables. */

typedef enum {
  INCLUDE_NONE,
  INCLUDE_METADATA,
  INCLUDE_OBJECT,
} IncludeObject;

typedef struct {
  gboolean       table;
  const char    *table_version;
  IncludeObject  include;
} Format;

const char *
ph_sim_accepts_table (const char *accept)
{
  g_auto(GStrv) types = NULL;

  if (accept == NULL)
    return NULL;

  /* The first acceptable type wins, as clients list them by preference. */
  types = g_strsplit (accept, ",", -1);
  for (guint i = 0; types[i] != NULL; i++)
    {
      if (strstr (types[i], "as=Table") != NULL)
        return strstr (types[i], "v=v1beta1") ? "v1beta1" : "v1";
      if (strstr (types[i], "application/json") != NULL && strstr (types[i], "as=") == NULL)
        return NULL;
    }

  return NULL;
}

static void
parse_format (SoupServerMessage *msg,
              GHashTable        *query,
              Format            *format)
{
  const char *accept = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Accept");
  const char *include = query ? g_hash_table_lookup (query, "includeObject") : NULL;
  const char *version = ph_sim_accepts_table (accept);

  format->table = version != NULL;
  format->table_version = version ? version : "v1";
  format->include = INCLUDE_METADATA;

  if (g_strcmp0 (include, "None") == 0)
    format->include = INCLUDE_NONE;
  else if (g_strcmp0 (include, "Object") == 0)
    format->include = INCLUDE_OBJECT;
}

static void
append_table_row (GString     *s,
                  PhSimObj    *obj,
                  const Format *format,
                  gint64       now)
{
  g_autofree char *age = ph_sim_format_age (now - obj->created);
  const char *since_cell = obj->since != 0 ? strstr (obj->cells_before_age, PH_SIM_SINCE_CELL) : NULL;

  if (since_cell != NULL)
    {
      g_autofree char *since = ph_sim_format_age (now - obj->since);

      g_string_append (s, "{\"cells\":[");
      g_string_append_len (s, obj->cells_before_age, since_cell - obj->cells_before_age);
      g_string_append_printf (s, "\"%s\"%s\"%s\"%s]", since, since_cell + strlen (PH_SIM_SINCE_CELL),
                              age, obj->cells_after_age);
    }
  else
    g_string_append_printf (s, "{\"cells\":[%s\"%s\"%s]", obj->cells_before_age, age,
                            obj->cells_after_age);
  if (format->include == INCLUDE_METADATA)
    {
      gsize length;
      const char *meta = ph_sim_obj_get_meta (obj, &length);

      g_string_append (s, ",\"object\":{\"kind\":\"PartialObjectMetadata\","
                       "\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":");
      if (obj->managed_length > 0)
        {
          /* Rows leave out managedFields: table readers never use them,
           * and they are most of the bytes of a pod's metadata. */
          const char *json = ph_sim_obj_get_json (obj, NULL);

          g_string_append_len (s, meta, json + obj->managed_offset - meta);
          g_string_append_len (s, json + obj->managed_offset + obj->managed_length,
                               meta + length - (json + obj->managed_offset + obj->managed_length));
        }
      else
        g_string_append_len (s, meta, length);
      g_string_append_c (s, '}');
    }
  else if (format->include == INCLUDE_OBJECT)
    {
      gsize length;
      const char *json = ph_sim_obj_get_json (obj, &length);

      g_string_append (s, ",\"object\":");
      g_string_append_len (s, json, length);
    }
  g_string_append_c (s, '}');
}

static GString *
begin_list (PhSimResId    res,
            const Format *format,
            guint64       rv,
            const char   *continue_token,
            gint64        remaining)
{
  const PhSimResource *r = &ph_sim_resources[res];
  GString *s = g_string_sized_new (4096);

  if (format->table)
    g_string_append_printf (s, "{\"kind\":\"Table\",\"apiVersion\":\"meta.k8s.io/%s\",",
                            format->table_version);
  else
    g_string_append_printf (s, "{\"kind\":\"%s\",\"apiVersion\":\"%s%s%s\",", r->list_kind,
                            r->group, r->group[0] ? "/" : "", r->version);

  g_string_append_printf (s, "\"metadata\":{\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"", rv);
  if (continue_token != NULL)
    g_string_append_printf (s, ",\"continue\":\"%s\"", continue_token);
  if (remaining >= 0)
    g_string_append_printf (s, ",\"remainingItemCount\":%" G_GINT64_FORMAT, remaining);
  g_string_append (s, "},");

  if (format->table)
    g_string_append_printf (s, "\"columnDefinitions\":%s,\"rows\":[", r->columns);
  else
    g_string_append (s, "\"items\":[");

  return s;
}

void
ph_sim_append_table_row (GString  *s,
                         PhSimObj *obj,
                         gint64    now)
{
  const Format format = { TRUE, "v1", INCLUDE_METADATA };

  append_table_row (s, obj, &format, now);
}

static void
append_item (GString      *s,
             PhSimObj     *obj,
             const Format *format,
             gint64        now,
             gboolean      first)
{
  if (!first)
    g_string_append_c (s, ',');

  if (format->table)
    append_table_row (s, obj, format, now);
  else
    {
      gsize length;
      const char *json = ph_sim_obj_get_json (obj, &length);

      g_string_append_len (s, json, length);
    }
}

static gboolean
parse_uint64 (const char *text,
              guint64    *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0' || !g_ascii_isdigit (*text))
    return FALSE;
  *out = g_ascii_strtoull (text, &end, 10);
  return end != NULL && *end == '\0';
}

static void
handle_list (PhSimServer       *self,
             SoupServerMessage *msg,
             GHashTable        *query,
             PhSimResId         res,
             const char        *namespace_,
             PhSimSelector     *labels,
             PhSimSelector     *fields)
{
  const char *rv_text = query ? g_hash_table_lookup (query, "resourceVersion") : NULL;
  const char *rv_match = query ? g_hash_table_lookup (query, "resourceVersionMatch") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  const char *continue_text = query ? g_hash_table_lookup (query, "continue") : NULL;
  gboolean filtered = !ph_sim_selector_is_empty (labels) || !ph_sim_selector_is_empty (fields);
  guint64 current_rv = ph_sim_store_get_rv (self->store);
  guint64 limit = 0;
  guint64 list_rv = current_rv;
  g_autoptr(GPtrArray) items = NULL;
  PhSimSnapshot *snapshot = NULL;
  guint snapshot_id = 0;
  guint position = 0;
  g_autofree char *next_token = NULL;
  gint64 remaining = -1;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  Format format;
  GString *s;
  g_autoptr(GString) body = NULL;
  SoupMessageBody *response;
  g_autoptr(GBytes) head = NULL;
  g_autoptr(GBytes) items_bytes = NULL;
  gboolean first = TRUE;
  guint count = 0;
  guint i;

  parse_format (msg, query, &format);

  if (limit_text != NULL && *limit_text != '\0' && !parse_uint64 (limit_text, &limit))
    {
      ph_sim_send_status (msg, 400, "BadRequest", "limit must be a non-negative integer");
      return;
    }

  if (continue_text != NULL && *continue_text != '\0')
    {
      ContinueToken token = { 0 };
      g_autofree char *start = NULL;

      if (rv_text != NULL && *rv_text != '\0' && strcmp (rv_text, "0") != 0)
        {
          ph_sim_send_status (msg, 400, "BadRequest",
                              "specifying resource version is not allowed when using continue");
          return;
        }
      if (!decode_continue (continue_text, &token))
        {
          ph_sim_send_status (msg, 400, "BadRequest", "continue key is not valid: illegal base64 data or malformed token");
          return;
        }
      start = token.start;

      if (self->snapshots != NULL)
        snapshot = g_hash_table_lookup (self->snapshots, GUINT_TO_POINTER (token.snapshot_id));

      if (snapshot != NULL &&
          (snapshot->res != res || g_strcmp0 (snapshot->namespace_, namespace_) != 0))
        {
          ph_sim_send_status (msg, 400, "BadRequest", "continue key does not match the request");
          return;
        }

      if (snapshot == NULL ||
          token.rv < ph_sim_store_get_compacted_rv (self->store) ||
          g_get_monotonic_time () - snapshot->created >
          (gint64) self->options.continue_ttl_seconds * G_USEC_PER_SEC)
        {
          /* Too old: the client may continue inconsistently from now on. */
          g_autoptr(GPtrArray) fresh = ph_sim_store_list (self->store, res, namespace_);
          guint fresh_id;
          g_autofree char *fresh_token = NULL;
          g_autofree char *message = NULL;

          if (snapshot != NULL)
            g_hash_table_remove (self->snapshots, GUINT_TO_POINTER (token.snapshot_id));

          snapshot_new (self, res, namespace_, current_rv, fresh, &fresh_id);
          fresh_token = encode_continue (current_rv, start, fresh_id, position_after (fresh, start));
          message = g_strdup_printf ("The provided continue parameter is too old to display a consistent "
                                     "list result. You can start a new list without the continue parameter, "
                                     "or use the continue token in this response to retrieve the remainder "
                                     "of the results. Continuing with the provided token results in an "
                                     "inconsistent list - objects that were created, modified, or deleted "
                                     "between the time the first chunk was returned and now may show up in "
                                     "the list.");
          send_status_full (msg, 410, "Expired", message, fresh_token);
          return;
        }

      snapshot_id = token.snapshot_id;
      position = MIN (token.position, snapshot->items->len);
      list_rv = snapshot->rv;
      items = g_ptr_array_ref (snapshot->items);
    }
  else
    {
      guint64 requested = 0;

      if (rv_text != NULL && *rv_text != '\0' && !parse_uint64 (rv_text, &requested))
        {
          g_autofree char *message = g_strdup_printf ("resourceVersion: Invalid value: \"%s\": must be a number", rv_text);
          ph_sim_send_status (msg, 400, "BadRequest", message);
          return;
        }

      if (g_strcmp0 (rv_match, "Exact") == 0)
        {
          if (requested == 0)
            {
              ph_sim_send_status (msg, 400, "BadRequest",
                                  "resourceVersionMatch: Forbidden: resourceVersionMatch \"Exact\" is forbidden for resourceVersion \"0\"");
              return;
            }
          if (requested > current_rv)
            {
              g_autofree char *message = g_strdup_printf ("Timeout: Too large resource version: %" G_GUINT64_FORMAT
                                                          ", current resource version: %" G_GUINT64_FORMAT,
                                                          requested, current_rv);
              ph_sim_send_status (msg, 504, "Timeout", message);
              return;
            }
          items = ph_sim_store_list_at (self->store, res, namespace_, requested);
          if (items == NULL)
            {
              g_autofree char *message = g_strdup_printf ("too old resource version: %" G_GUINT64_FORMAT
                                                          " (%" G_GUINT64_FORMAT ")",
                                                          requested, ph_sim_store_get_compacted_rv (self->store));
              ph_sim_send_status (msg, 410, "Expired", message);
              return;
            }
          list_rv = requested;
        }
      else if (rv_match != NULL && *rv_match != '\0' && strcmp (rv_match, "NotOlderThan") != 0)
        {
          g_autofree char *message = g_strdup_printf ("resourceVersionMatch: Unsupported value: \"%s\"", rv_match);
          ph_sim_send_status (msg, 400, "BadRequest", message);
          return;
        }
      else
        {
          if (requested > current_rv)
            {
              g_autofree char *message = g_strdup_printf ("Timeout: Too large resource version: %" G_GUINT64_FORMAT
                                                          ", current resource version: %" G_GUINT64_FORMAT,
                                                          requested, current_rv);
              ph_sim_send_status (msg, 504, "Timeout", message);
              return;
            }
          items = ph_sim_store_list (self->store, res, namespace_);
        }

      /* Later pages come from this very list, so the whole list is
       * consistent at list_rv, as etcd's snapshot reads make it. */
      if (limit > 0 && items->len > limit)
        snapshot_new (self, res, namespace_, list_rv, items, &snapshot_id);
    }

  body = g_string_sized_new (MIN (items->len - position, limit ? limit : G_MAXUINT) * 1024 + 64);

  for (i = position; i < items->len; i++)
    {
      PhSimObj *obj = g_ptr_array_index (items, i);

      if (limit > 0 && count == limit)
        break;
      if (!ph_sim_selector_matches (labels, obj) || !ph_sim_selector_matches (fields, obj))
        continue;

      append_item (body, obj, &format, now, first);
      first = FALSE;
      count++;
    }

  if (limit > 0 && i < items->len)
    {
      PhSimObj *last = g_ptr_array_index (items, i - 1);

      next_token = encode_continue (list_rv, last->key, snapshot_id, i);
      if (!filtered)
        remaining = items->len - i;
    }
  else if (snapshot_id != 0 && self->snapshots != NULL)
    {
      /* The last page: the snapshot has served its purpose. */
      g_hash_table_remove (self->snapshots, GUINT_TO_POINTER (snapshot_id));
    }

  /* Header and items go out as two chunks: the items are not copied again. */
  g_string_append (body, "]}");
  s = begin_list (res, &format, list_rv, next_token, remaining);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  response = soup_server_message_get_response_body (msg);
  head = g_string_free_to_bytes (s);
  items_bytes = g_string_free_to_bytes (g_steal_pointer (&body));
  soup_message_body_append_bytes (response, head);
  soup_message_body_append_bytes (response, items_bytes);
}

static void
handle_get (PhSimServer       *self,
            SoupServerMessage *msg,
            GHashTable        *query,
            PhSimResId         res,
            const char        *namespace_,
            const char        *name)
{
  const PhSimResource *r = &ph_sim_resources[res];
  g_autofree char *key = namespace_ ? g_strconcat (namespace_, "/", name, NULL) : g_strdup (name);
  PhSimObj *obj = ph_sim_store_lookup (self->store, res, key);
  Format format;

  if (obj == NULL)
    {
      g_autofree char *message = NULL;

      if (r->group[0] != '\0')
        message = g_strdup_printf ("%s.%s \"%s\" not found", r->resource, r->group, name);
      else
        message = g_strdup_printf ("%s \"%s\" not found", r->resource, name);
      ph_sim_send_status (msg, 404, "NotFound", message);
      return;
    }

  parse_format (msg, query, &format);
  if (format.table)
    {
      GString *s = begin_list (res, &format, obj->rv, NULL, -1);

      append_item (s, obj, &format, g_get_real_time () / G_USEC_PER_SEC, TRUE);
      g_string_append (s, "]}");
      send_string (msg, s);
    }
  else
    {
      gsize length;
      const char *json = ph_sim_obj_get_json (obj, &length);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, length);
    }
}

static void
handle_delete (PhSimServer       *self,
               SoupServerMessage *msg,
               PhSimResId         res,
               const char        *namespace_,
               const char        *name)
{
  g_autofree char *key = NULL;
  g_autoptr(PhSimObj) obj = NULL;
  gsize length;
  const char *json;

  if (res != PH_SIM_RES_PODS)
    {
      ph_sim_send_status (msg, 405, "MethodNotAllowed",
                          "the server does not allow this method on the requested resource");
      return;
    }

  key = g_strconcat (namespace_, "/", name, NULL);
  obj = ph_sim_store_lookup (self->store, res, key);
  if (obj == NULL)
    {
      g_autofree char *message = g_strdup_printf ("pods \"%s\" not found", name);
      ph_sim_send_status (msg, 404, "NotFound", message);
      return;
    }

  ph_sim_obj_ref (obj);
  ph_sim_world_delete_pod (self->world, namespace_, name);
  json = ph_sim_obj_get_json (obj, &length);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, length);
}

static void
handle_scale (PhSimServer       *self,
              SoupServerMessage *msg,
              const char        *namespace_,
              const char        *name)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *key = g_strconcat (namespace_, "/", name, NULL);
  const char *method = soup_server_message_get_method (msg);
  PhSimObj *dep = ph_sim_store_lookup (self->store, PH_SIM_RES_DEPLOYMENTS, key);
  JsonObject *root;
  JsonObject *spec;
  gint64 replicas;
  GString *s;

  if (dep == NULL)
    {
      g_autofree char *message = g_strdup_printf ("deployments.apps \"%s\" not found", name);
      ph_sim_send_status (msg, 404, "NotFound", message);
      return;
    }

  if (strcmp (method, "GET") != 0)
    {
      if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                       g_bytes_get_size (bytes), NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)) ||
          (root = json_node_get_object (json_parser_get_root (parser))) == NULL ||
          (spec = json_object_get_object_member (root, "spec")) == NULL ||
          (replicas = json_object_get_int_member_with_default (spec, "replicas", -1)) < 0 ||
          replicas > 1000)
        {
          ph_sim_send_status (msg, 400, "BadRequest", "the body must set spec.replicas to 0…1000");
          return;
        }
      ph_sim_world_scale_deployment (self->world, namespace_, name, replicas);
      dep = ph_sim_store_lookup (self->store, PH_SIM_RES_DEPLOYMENTS, key);
    }

  {
    g_autoptr(JsonParser) dep_parser = json_parser_new ();
    gsize length;
    const char *json = ph_sim_obj_get_json (dep, &length);
    JsonObject *d;

    json_parser_load_from_data (dep_parser, json, length, NULL);
    d = json_node_get_object (json_parser_get_root (dep_parser));
    s = g_string_new (NULL);
    g_string_append_printf (s, "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\","
                            "\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"uid\":\"%s\","
                            "\"resourceVersion\":\"%" G_GUINT64_FORMAT "\"},"
                            "\"spec\":{\"replicas\":%" G_GINT64_FORMAT "},"
                            "\"status\":{\"replicas\":%" G_GINT64_FORMAT ",\"selector\":\"app=%s\"}}",
                            name, namespace_, dep->uid, dep->rv,
                            json_object_get_int_member (json_object_get_object_member (d, "spec"), "replicas"),
                            json_object_get_int_member_with_default (json_object_get_object_member (d, "status"), "replicas", 0),
                            name);
  }
  send_string (msg, s);
}

/* Routing. */

static gboolean
is_websocket_request (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  return soup_message_headers_header_contains (headers, "Upgrade", "websocket") &&
         soup_message_headers_header_contains (headers, "Connection", "upgrade");
}

static gboolean
query_is_true (GHashTable *query,
               const char *name)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  return value != NULL && (strcmp (value, "1") == 0 || strcmp (value, "true") == 0);
}

typedef struct {
  SoupServerMessage *msg;
  char              *origin;
  char              *protocol;
  char              *accept;
  PhSimResId         res;
  char              *namespace_;
  GHashTable        *query;
  PhSimSelector     *labels;
  PhSimSelector     *fields;
  PhSimServer       *server;
} Upgrade;

static void
upgrade_free (gpointer data)
{
  Upgrade *upgrade = data;

  g_free (upgrade->origin);
  g_free (upgrade->protocol);
  g_free (upgrade->accept);
  g_free (upgrade->namespace_);
  g_clear_pointer (&upgrade->query, g_hash_table_unref);
  ph_sim_selector_free (upgrade->labels);
  ph_sim_selector_free (upgrade->fields);
  g_free (upgrade);
}

static void
complete_upgrade (SoupServerMessage *msg,
                  gpointer           user_data)
{
  Upgrade *upgrade = user_data;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  PhSimSelector *labels, *fields;

  g_object_ref (msg);
  stream = soup_server_message_steal_connection (msg);
  ws = soup_websocket_connection_new (stream, soup_server_message_get_uri (msg),
                                      SOUP_WEBSOCKET_CONNECTION_SERVER,
                                      upgrade->origin, upgrade->protocol, NULL);
  labels = g_steal_pointer (&upgrade->labels);
  fields = g_steal_pointer (&upgrade->fields);
  ph_sim_watch_start (upgrade->server, NULL, ws, upgrade->res, upgrade->namespace_,
                      upgrade->query, upgrade->accept, labels, fields);
  /* Frees @upgrade through the closure's notify. */
  g_signal_handlers_disconnect_by_data (msg, upgrade);
  g_object_unref (msg);
}

static void
start_websocket (PhSimServer       *self,
                 SoupServerMessage *msg,
                 GHashTable        *query,
                 PhSimResId         res,
                 const char        *namespace_,
                 PhSimSelector     *labels,
                 PhSimSelector     *fields)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *origin = soup_message_headers_get_one (headers, "Origin");
  const char *protocols = soup_message_headers_get_one (headers, "Sec-WebSocket-Protocol");
  g_autoptr(PhSimSelector) owned_labels = labels;
  g_autoptr(PhSimSelector) owned_fields = fields;
  g_auto(GStrv) offered = NULL;
  char *accepted[2] = { NULL, NULL };
  Upgrade *upgrade;

  /* As kube-apiserver's WebSocket handshake: an Origin is required, and a
   * client may offer at most one subprotocol, which is echoed. */
  if (origin == NULL || *origin == '\0')
    {
      ph_sim_send_status (msg, 403, "Forbidden", "websocket: request origin not allowed: null origin");
      return;
    }
  if (protocols != NULL)
    {
      offered = g_strsplit (protocols, ",", -1);
      if (g_strv_length (offered) > 1)
        {
          ph_sim_send_status (msg, 400, "BadRequest", "websocket: more than one subprotocol requested");
          return;
        }
      if (offered[0] != NULL)
        accepted[0] = g_strstrip (offered[0]);
    }

  if (!soup_websocket_server_process_handshake (msg, NULL, accepted[0] ? accepted : NULL, NULL, NULL))
    {
      if (soup_server_message_get_status (msg) == 0)
        ph_sim_send_status (msg, 400, "BadRequest", "websocket: invalid handshake");
      return;
    }

  upgrade = g_new0 (Upgrade, 1);
  upgrade->server = self;
  upgrade->origin = g_strdup (origin);
  upgrade->protocol = g_strdup (accepted[0]);
  upgrade->accept = g_strdup (soup_message_headers_get_one (headers, "Accept"));
  upgrade->res = res;
  upgrade->namespace_ = g_strdup (namespace_);
  upgrade->query = query ? g_hash_table_ref (query) : NULL;
  upgrade->labels = g_steal_pointer (&owned_labels);
  upgrade->fields = g_steal_pointer (&owned_fields);
  g_signal_connect_data (msg, "wrote-informational", G_CALLBACK (complete_upgrade),
                         upgrade, (GClosureNotify) upgrade_free, 0);
}

static gboolean
authenticate (PhSimServer       *self,
              SoupServerMessage *msg)
{
  const char *auth;

  /* TLS handshakes only succeed once on_accept_certificate() checked the
   * client certificate against our CA, and only the first request of a
   * kept-alive connection still carries the certificate: an established
   * connection is proof enough. */
  if (self->options.require_client_cert)
    return TRUE;

  if (self->token == NULL)
    return TRUE;

  auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  if (auth != NULL && g_str_has_prefix (auth, "Bearer ") &&
      strcmp (auth + strlen ("Bearer "), self->token) == 0)
    return TRUE;

  return FALSE;
}

static void
dispatch (PhSimServer       *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  g_auto(GStrv) all_parts = g_strsplit (path + (path[0] == '/'), "/", -1);
  char **parts = all_parts;
  guint n_parts = g_strv_length (all_parts);
  const char *group, *version;
  const char *namespace_ = NULL;
  const char *resource = NULL;
  const char *name = NULL;
  const char *subresource = NULL;
  const PhSimResource *r;
  PhSimResId res;
  g_autoptr(PhSimSelector) labels = NULL;
  g_autoptr(PhSimSelector) fields = NULL;
  g_autoptr(GError) error = NULL;

  if (n_parts > 0 && parts[n_parts - 1][0] == '\0')
    n_parts--;

  if (strcmp (method, "GET") == 0 && handle_discovery (self, msg, parts, n_parts))
    return;

  if (n_parts >= 3 && strcmp (parts[0], "api") == 0)
    {
      group = "";
      version = parts[1];
      parts += 2;
      n_parts -= 2;
    }
  else if (n_parts >= 4 && strcmp (parts[0], "apis") == 0)
    {
      group = parts[1];
      version = parts[2];
      parts += 3;
      n_parts -= 3;
    }
  else
    {
      ph_sim_send_status (msg, 404, "NotFound", "the server could not find the requested resource");
      return;
    }

  if (n_parts >= 3 && strcmp (parts[0], "namespaces") == 0)
    {
      namespace_ = parts[1];
      resource = parts[2];
      name = n_parts >= 4 ? parts[3] : NULL;
      subresource = n_parts >= 5 ? parts[4] : NULL;
      if (n_parts > 5)
        resource = NULL;
    }
  else if (n_parts <= 3)
    {
      resource = parts[0];
      name = n_parts >= 2 ? parts[1] : NULL;
      subresource = n_parts >= 3 ? parts[2] : NULL;
    }

  r = resource ? ph_sim_resource_lookup (group, version, resource, &res) : NULL;
  if (r == NULL || (namespace_ != NULL && !r->namespaced))
    {
      ph_sim_send_status (msg, 404, "NotFound", "the server could not find the requested resource");
      return;
    }

  if (subresource != NULL)
    {
      if (res == PH_SIM_RES_DEPLOYMENTS && strcmp (subresource, "scale") == 0 && namespace_ != NULL)
        handle_scale (self, msg, namespace_, name);
      else if (res == PH_SIM_RES_PODS && strcmp (subresource, "status") == 0 && strcmp (method, "GET") == 0)
        handle_get (self, msg, query, res, namespace_, name);
      else
        ph_sim_send_status (msg, 404, "NotFound", "the server could not find the requested resource");
      return;
    }

  if (name != NULL)
    {
      if (strcmp (method, "GET") == 0)
        handle_get (self, msg, query, res, namespace_, name);
      else if (strcmp (method, "DELETE") == 0)
        handle_delete (self, msg, res, namespace_, name);
      else
        ph_sim_send_status (msg, 405, "MethodNotAllowed",
                            "the server does not allow this method on the requested resource");
      return;
    }

  if (strcmp (method, "GET") != 0)
    {
      ph_sim_send_status (msg, 405, "MethodNotAllowed",
                          "the server does not allow this method on the requested resource");
      return;
    }

  labels = ph_sim_selector_parse_labels (query ? g_hash_table_lookup (query, "labelSelector") : NULL, &error);
  if (labels == NULL)
    {
      ph_sim_send_status (msg, 400, "BadRequest", error->message);
      return;
    }
  fields = ph_sim_selector_parse_fields (query ? g_hash_table_lookup (query, "fieldSelector") : NULL, r, &error);
  if (fields == NULL)
    {
      ph_sim_send_status (msg, 400, "BadRequest", error->message);
      return;
    }

  if (query_is_true (query, "watch"))
    {
      if (!ph_sim_watch_check (self, msg, query))
        return;
      if (is_websocket_request (msg))
        start_websocket (self, msg, query, res, namespace_,
                         g_steal_pointer (&labels), g_steal_pointer (&fields));
      else
        ph_sim_watch_start (self, msg, NULL, res, namespace_, query,
                            soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Accept"),
                            g_steal_pointer (&labels), g_steal_pointer (&fields));
      return;
    }

  handle_list (self, msg, query, res, namespace_, labels, fields);
}

typedef struct {
  PhSimServer       *server;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
} Delayed;

/* Also runs when the server stops with the request still delayed. */
static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_object_unref (delayed->msg);
  g_free (delayed->path);
  g_clear_pointer (&delayed->query, g_hash_table_unref);
  g_free (delayed);
}

static gboolean
delayed_dispatch (gpointer data)
{
  Delayed *delayed = data;

  dispatch (delayed->server, delayed->msg, delayed->path, delayed->query);
  soup_server_message_unpause (delayed->msg);

  return G_SOURCE_REMOVE;
}

void
ph_sim_http_handle (SoupServer        *soup,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  PhSimServer *self = user_data;

  if (!authenticate (self, msg))
    {
      ph_sim_send_status (msg, 401, "Unauthorized", "Unauthorized");
      return;
    }

  if (strcmp (path, CONTROL_PATH) == 0)
    {
      ph_sim_server_control (self, msg);
      return;
    }

  if (self->fail_remaining > 0)
    {
      self->fail_remaining--;
      if (self->fail_status == 429)
        {
          /* As the apiserver's max-in-flight filter answers; clients wait
           * as long as Retry-After says. */
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "1");
          ph_sim_send_status (msg, 429, "TooManyRequests", "Too many requests, please try again later.");
        }
      else if (self->fail_status == 404)
        ph_sim_send_status (msg, 404, "NotFound", "the server could not find the requested resource");
      else if (self->fail_status == 403)
        ph_sim_send_status (msg, 403, "Forbidden", "forbidden: injected failure");
      else
        ph_sim_send_status (msg, self->fail_status, "InternalError",
                            "Internal error occurred: injected failure");
      return;
    }

  if (self->latency_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);
      GSource *source = g_timeout_source_new (self->latency_ms);

      delayed->server = self;
      delayed->msg = g_object_ref (msg);
      delayed->path = g_strdup (path);
      delayed->query = query ? g_hash_table_ref (query) : NULL;
      soup_server_message_pause (msg);
      g_source_set_callback (source, delayed_dispatch, delayed, delayed_free);
      g_source_attach (source, self->context);
      g_source_unref (source);
      return;
    }

  dispatch (self, msg, path, query);
}
