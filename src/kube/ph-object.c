/* ph-object.c
 *
 * Copyright 2026 The Porthole Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ph-json-scan.h"
#include "ph-kube-error.h"
#include "ph-object-private.h"

enum {
  PROP_0,
  PROP_UID,
  PROP_NAME,
  PROP_NAMESPACE,
  PROP_RESOURCE_VERSION,
  PROP_KIND,
  PROP_CONTEXT,
  PROP_CREATION_TIMESTAMP,
  PROP_LABELS,
  PROP_STATUS,
  PROP_READY,
  PROP_RESTARTS,
  PROP_NODE,
  PROP_JSON,
  N_PROPS
};

enum {
  COLUMN_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PhObject, ph_object, G_TYPE_OBJECT)

/* Column ids of the C1..C5 slots per kind, as ph_object_get_column()
 * takes them. */
static const char * const kind_columns[PH_N_KINDS][5] = {
  [PH_KIND_POD]          = { "ip" },
  [PH_KIND_DEPLOYMENT]   = { "up-to-date", "available" },
  [PH_KIND_REPLICA_SET]  = { "desired", "current" },
  [PH_KIND_STATEFUL_SET] = { NULL },
  [PH_KIND_DAEMON_SET]   = { "desired", "current", "up-to-date", "available" },
  [PH_KIND_SERVICE]      = { "type", "cluster-ip", "external-ip", "ports" },
  [PH_KIND_NODE]         = { "roles", "version" },
  [PH_KIND_EVENT]        = { "type", "reason", "object", "message", "last-seen" },
  [PH_KIND_NAMESPACE]    = { NULL },
  [PH_KIND_CONFIG_MAP]   = { "data" },
  [PH_KIND_SECRET]       = { "type", "data" },
  [PH_KIND_JOB]          = { "completions", "active" },
  [PH_KIND_CRON_JOB]     = { "schedule", "suspend", "active", "last-schedule" },
  [PH_KIND_INGRESS]      = { "ports" },
};

static const struct {
  const char *resource;
  const char *kind;
  PhKindId    id;
} kind_names[] = {
  { "pods", "Pod", PH_KIND_POD },
  { "deployments", "Deployment", PH_KIND_DEPLOYMENT },
  { "replicasets", "ReplicaSet", PH_KIND_REPLICA_SET },
  { "statefulsets", "StatefulSet", PH_KIND_STATEFUL_SET },
  { "daemonsets", "DaemonSet", PH_KIND_DAEMON_SET },
  { "services", "Service", PH_KIND_SERVICE },
  { "nodes", "Node", PH_KIND_NODE },
  { "events", "Event", PH_KIND_EVENT },
  { "namespaces", "Namespace", PH_KIND_NAMESPACE },
  { "configmaps", "ConfigMap", PH_KIND_CONFIG_MAP },
  { "secrets", "Secret", PH_KIND_SECRET },
  { "jobs", "Job", PH_KIND_JOB },
  { "cronjobs", "CronJob", PH_KIND_CRON_JOB },
  { "ingresses", "Ingress", PH_KIND_INGRESS },
};

PhKindId
ph_kind_id_from_resource (const char *resource)
{
  if (resource == NULL)
    return PH_KIND_OTHER;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (resource, kind_names[i].resource) == 0)
      return kind_names[i].id;
  return PH_KIND_OTHER;
}

PhKindId
ph_kind_id_from_kind (const char *kind)
{
  if (kind == NULL)
    return PH_KIND_OTHER;
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (strcmp (kind, kind_names[i].kind) == 0)
      return kind_names[i].id;
  return PH_KIND_OTHER;
}

static const char *
kind_name (PhKindId id)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (kind_names[i].id == id)
      return kind_names[i].kind;
  return "";
}

/* ------------------------------------------------------------------ */
/* Extraction                                                          */

typedef struct {
  const char *p;
  gsize       len;
} Span;

enum {
  SPAN_SPEC,
  SPAN_STATUS,
  SPAN_DATA,
  SPAN_BINARY_DATA,
  SPAN_TYPE,
  SPAN_REASON,
  SPAN_MESSAGE,
  SPAN_INVOLVED,
  SPAN_LAST_TIMESTAMP,
  SPAN_EVENT_TIME,
  N_SPANS
};

typedef struct {
  GString  *buf;       /* starts with "\0": offset 0 is the empty string */
  guint32   offs[PH_N_SLOTS];
  GArray   *labels;    /* guint32 offsets into buf */
  gint64    creation;
  gint64    restarts;
  gboolean  deleting;
  guint32   meta_reason; /* unused by most kinds */
  Span      spans[N_SPANS];
} Builder;

static void
slot_begin (Builder *b,
            PhSlot   slot)
{
  b->offs[slot] = b->buf->len;
}

static void
slot_end (Builder *b)
{
  g_string_append_c (b->buf, '\0');
}

static void
slot_read (Builder    *b,
           PhSlot      slot,
           PhJsonScan *s)
{
  slot_begin (b, slot);
  ph_json_scan_read_string (s, b->buf);
  slot_end (b);
}

G_GNUC_PRINTF (3, 4)
static void
slot_printf (Builder    *b,
             PhSlot      slot,
             const char *format,
             ...)
{
  va_list args;

  slot_begin (b, slot);
  va_start (args, format);
  g_string_append_vprintf (b->buf, format, args);
  va_end (args);
  slot_end (b);
}

static void
slot_set (Builder    *b,
          PhSlot      slot,
          const char *value)
{
  slot_begin (b, slot);
  g_string_append (b->buf, value);
  slot_end (b);
}

static void
set_str (char       **dest,
         const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*dest);
  *dest = copy;
}

static gint64
parse_timestamp (const char *str)
{
  g_autoptr(GDateTime) dt = NULL;

  if (str == NULL || *str == '\0')
    return 0;
  dt = g_date_time_new_from_iso8601 (str, NULL);
  return dt ? g_date_time_to_unix (dt) : 0;
}

static void
scan_labels (Builder    *b,
             PhJsonScan *s)
{
  const char *key;
  gsize key_len;

  if (ph_json_scan_peek (s) != PH_JSON_OBJECT)
    {
      ph_json_scan_skip (s);
      return;
    }
  ph_json_scan_enter_object (s);
  while (ph_json_scan_next_member (s, &key, &key_len))
    {
      guint32 off = b->buf->len;

      /* Keys of labels never need escapes (they are DNS-ish names). */
      g_string_append_len (b->buf, key, key_len);
      g_string_append_c (b->buf, '=');
      ph_json_scan_read_string (s, b->buf);
      g_string_append_c (b->buf, '\0');
      g_array_append_val (b->labels, off);
    }
}

static void
scan_metadata (Builder    *b,
               PhJsonScan *s)
{
  const char *key;
  gsize len;

  if (!ph_json_scan_enter_object (s))
    return;
  while (ph_json_scan_next_member (s, &key, &len))
    {
      if (PH_JSON_KEY_IS (key, len, "name"))
        slot_read (b, PH_SLOT_NAME, s);
      else if (PH_JSON_KEY_IS (key, len, "namespace"))
        slot_read (b, PH_SLOT_NAMESPACE, s);
      else if (PH_JSON_KEY_IS (key, len, "uid"))
        slot_read (b, PH_SLOT_UID, s);
      else if (PH_JSON_KEY_IS (key, len, "resourceVersion"))
        slot_read (b, PH_SLOT_RESOURCE_VERSION, s);
      else if (PH_JSON_KEY_IS (key, len, "creationTimestamp"))
        {
          g_autofree char *ts = ph_json_scan_dup_string (s);
          b->creation = parse_timestamp (ts);
        }
      else if (PH_JSON_KEY_IS (key, len, "deletionTimestamp"))
        {
          b->deleting = ph_json_scan_peek (s) != PH_JSON_NULL;
          ph_json_scan_skip (s);
        }
      else if (PH_JSON_KEY_IS (key, len, "labels"))
        scan_labels (b, s);
      else
        ph_json_scan_skip (s);
    }
}

static gboolean
span_scan (const Span *span,
           PhJsonScan *s)
{
  if (span->p == NULL)
    return FALSE;
  ph_json_scan_init (s, span->p, span->len);
  return TRUE;
}

static char *
span_dup_string (const Span *span)
{
  PhJsonScan s;

  if (!span_scan (span, &s))
    return NULL;
  return ph_json_scan_dup_string (&s);
}

static guint
count_elements (PhJsonScan *s)
{
  guint n = 0;

  if (ph_json_scan_peek (s) == PH_JSON_ARRAY)
    {
      ph_json_scan_enter_array (s);
      while (ph_json_scan_next_element (s))
        {
          ph_json_scan_skip (s);
          n++;
        }
    }
  else if (ph_json_scan_peek (s) == PH_JSON_OBJECT)
    {
      const char *key;
      gsize len;

      ph_json_scan_enter_object (s);
      while (ph_json_scan_next_member (s, &key, &len))
        {
          ph_json_scan_skip (s);
          n++;
        }
    }
  else
    ph_json_scan_skip (s);

  return n;
}

/* Reads one integer member of the object in @span ("replicas"), or
 * @fallback when absent. */
static gint64
span_get_int (const Span *span,
              const char *member,
              gint64      fallback)
{
  PhJsonScan s;
  const char *key;
  gsize len;
  gsize member_len = strlen (member);
  gint64 v = fallback;

  if (!span_scan (span, &s) || !ph_json_scan_enter_object (&s))
    return fallback;
  while (ph_json_scan_next_member (&s, &key, &len))
    {
      if (len == member_len && memcmp (key, member, len) == 0)
        {
          if (ph_json_scan_peek (&s) == PH_JSON_NUMBER)
            ph_json_scan_read_int (&s, &v);
          else
            ph_json_scan_skip (&s);
        }
      else
        ph_json_scan_skip (&s);
    }
  return v;
}

static char *
span_get_string (const Span *span,
                 const char *member)
{
  PhJsonScan s;
  const char *key;
  gsize len;
  gsize member_len = strlen (member);
  char *v = NULL;

  if (!span_scan (span, &s) || !ph_json_scan_enter_object (&s))
    return NULL;
  while (ph_json_scan_next_member (&s, &key, &len))
    {
      if (v == NULL && len == member_len && memcmp (key, member, len) == 0)
        v = ph_json_scan_dup_string (&s);
      else
        ph_json_scan_skip (&s);
    }
  return v;
}

static Span
span_get_member (const Span *span,
                 const char *member)
{
  PhJsonScan s;
  const char *key;
  gsize len;
  gsize member_len = strlen (member);
  Span v = { NULL, 0 };

  if (!span_scan (span, &s) || !ph_json_scan_enter_object (&s))
    return v;
  while (ph_json_scan_next_member (&s, &key, &len))
    {
      if (v.p == NULL && len == member_len && memcmp (key, member, len) == 0)
        ph_json_scan_span (&s, &v.p, &v.len);
      else
        ph_json_scan_skip (&s);
    }
  if (ph_json_scan_failed (&s))
    v.p = NULL;
  return v;
}

/* --- Pods: STATUS as kubectl's printPod computes it ---------------- */

typedef struct {
  gboolean ready;
  gboolean running;
  gboolean waiting;
  gboolean terminated;
  gint64   restarts;
  gint64   exit_code;
  gint64   signal;
  char    *waiting_reason;
  char    *terminated_reason;
} ContainerStatus;

static void
container_status_clear (ContainerStatus *cs)
{
  g_free (cs->waiting_reason);
  g_free (cs->terminated_reason);
}

static void
scan_container_state (ContainerStatus *cs,
                      PhJsonScan      *s)
{
  const char *key;
  gsize len;

  if (!ph_json_scan_enter_object (s))
    return;
  while (ph_json_scan_next_member (s, &key, &len))
    {
      gboolean is_null = ph_json_scan_peek (s) == PH_JSON_NULL;

      if (PH_JSON_KEY_IS (key, len, "running"))
        {
          cs->running = !is_null;
          ph_json_scan_skip (s);
        }
      else if ((PH_JSON_KEY_IS (key, len, "waiting") ||
                PH_JSON_KEY_IS (key, len, "terminated")) && !is_null)
        {
          gboolean waiting = key[0] == 'w';
          const char *k2;
          gsize l2;

          if (waiting)
            cs->waiting = TRUE;
          else
            cs->terminated = TRUE;
          if (!ph_json_scan_enter_object (s))
            return;
          while (ph_json_scan_next_member (s, &k2, &l2))
            {
              if (PH_JSON_KEY_IS (k2, l2, "reason"))
                {
                  char **dest = waiting ? &cs->waiting_reason : &cs->terminated_reason;
                  g_free (*dest);
                  *dest = ph_json_scan_dup_string (s);
                }
              else if (!waiting && PH_JSON_KEY_IS (k2, l2, "exitCode"))
                ph_json_scan_read_int (s, &cs->exit_code);
              else if (!waiting && PH_JSON_KEY_IS (k2, l2, "signal"))
                ph_json_scan_read_int (s, &cs->signal);
              else
                ph_json_scan_skip (s);
            }
        }
      else
        ph_json_scan_skip (s);
    }
}

static GArray *
scan_container_statuses (PhJsonScan *s)
{
  GArray *arr = g_array_new (FALSE, TRUE, sizeof (ContainerStatus));

  g_array_set_clear_func (arr, (GDestroyNotify) container_status_clear);
  if (ph_json_scan_peek (s) != PH_JSON_ARRAY)
    {
      ph_json_scan_skip (s);
      return arr;
    }
  ph_json_scan_enter_array (s);
  while (ph_json_scan_next_element (s))
    {
      ContainerStatus cs = { 0 };
      const char *key;
      gsize len;

      if (!ph_json_scan_enter_object (s))
        break;
      while (ph_json_scan_next_member (s, &key, &len))
        {
          if (PH_JSON_KEY_IS (key, len, "ready"))
            ph_json_scan_read_bool (s, &cs.ready);
          else if (PH_JSON_KEY_IS (key, len, "restartCount"))
            ph_json_scan_read_int (s, &cs.restarts);
          else if (PH_JSON_KEY_IS (key, len, "state"))
            scan_container_state (&cs, s);
          else
            ph_json_scan_skip (s);
        }
      g_array_append_val (arr, cs);
    }
  return arr;
}

static gboolean
has_true_condition (const Span *status,
                    const char *type)
{
  Span conds = span_get_member (status, "conditions");
  PhJsonScan s;
  gboolean found = FALSE;

  if (!span_scan (&conds, &s) || ph_json_scan_peek (&s) != PH_JSON_ARRAY)
    return FALSE;
  ph_json_scan_enter_array (&s);
  while (ph_json_scan_next_element (&s))
    {
      g_autofree char *ctype = NULL;
      g_autofree char *cstatus = NULL;
      const char *key;
      gsize len;

      if (!ph_json_scan_enter_object (&s))
        break;
      while (ph_json_scan_next_member (&s, &key, &len))
        {
          if (PH_JSON_KEY_IS (key, len, "type") && ctype == NULL)
            ctype = ph_json_scan_dup_string (&s);
          else if (PH_JSON_KEY_IS (key, len, "status") && cstatus == NULL)
            cstatus = ph_json_scan_dup_string (&s);
          else
            ph_json_scan_skip (&s);
        }
      if (g_strcmp0 (ctype, type) == 0 && g_strcmp0 (cstatus, "True") == 0)
        found = TRUE;
    }
  return found;
}

static void
extract_pod (Builder *b)
{
  const Span *spec = &b->spans[SPAN_SPEC];
  const Span *status = &b->spans[SPAN_STATUS];
  g_autoptr(GArray) statuses = NULL;
  g_autoptr(GArray) init_statuses = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *status_reason = NULL;
  guint n_containers = 0, n_init = 0, ready = 0;
  gint64 restarts = 0;
  gboolean initializing = FALSE;
  PhJsonScan s;
  const char *key;
  gsize len;

  if (span_scan (spec, &s) && ph_json_scan_enter_object (&s))
    {
      while (ph_json_scan_next_member (&s, &key, &len))
        {
          if (PH_JSON_KEY_IS (key, len, "nodeName"))
            slot_read (b, PH_SLOT_NODE, &s);
          else if (PH_JSON_KEY_IS (key, len, "containers"))
            n_containers = count_elements (&s);
          else if (PH_JSON_KEY_IS (key, len, "initContainers"))
            n_init = count_elements (&s);
          else
            ph_json_scan_skip (&s);
        }
    }

  if (span_scan (status, &s) && ph_json_scan_enter_object (&s))
    {
      g_autofree char *phase = NULL;

      while (ph_json_scan_next_member (&s, &key, &len))
        {
          if (PH_JSON_KEY_IS (key, len, "phase"))
            {
              g_free (phase);
              phase = ph_json_scan_dup_string (&s);
            }
          else if (PH_JSON_KEY_IS (key, len, "reason"))
            {
              g_free (status_reason);
              status_reason = ph_json_scan_dup_string (&s);
            }
          else if (PH_JSON_KEY_IS (key, len, "podIP"))
            slot_read (b, PH_SLOT_C1, &s);
          else if (PH_JSON_KEY_IS (key, len, "containerStatuses") && statuses == NULL)
            statuses = scan_container_statuses (&s);
          else if (PH_JSON_KEY_IS (key, len, "initContainerStatuses") && init_statuses == NULL)
            init_statuses = scan_container_statuses (&s);
          else
            ph_json_scan_skip (&s);
        }
      reason = g_steal_pointer (&phase);
    }
  if (status_reason != NULL && *status_reason != '\0')
    set_str (&reason, status_reason);

  for (guint i = 0; init_statuses != NULL && i < init_statuses->len; i++)
    {
      const ContainerStatus *cs = &g_array_index (init_statuses, ContainerStatus, i);

      restarts += cs->restarts;
      if (cs->terminated && cs->exit_code == 0)
        continue;

      g_free (reason);
      if (cs->terminated)
        {
          if (cs->terminated_reason == NULL || *cs->terminated_reason == '\0')
            {
              if (cs->signal != 0)
                reason = g_strdup_printf ("Init:Signal:%" G_GINT64_FORMAT, cs->signal);
              else
                reason = g_strdup_printf ("Init:ExitCode:%" G_GINT64_FORMAT, cs->exit_code);
            }
          else
            reason = g_strconcat ("Init:", cs->terminated_reason, NULL);
        }
      else if (cs->waiting && cs->waiting_reason != NULL && *cs->waiting_reason != '\0' &&
               strcmp (cs->waiting_reason, "PodInitializing") != 0)
        reason = g_strconcat ("Init:", cs->waiting_reason, NULL);
      else
        reason = g_strdup_printf ("Init:%u/%u", i, n_init);
      initializing = TRUE;
      break;
    }

  if (!initializing)
    {
      gboolean has_running = FALSE;

      restarts = 0;
      for (guint i = statuses ? statuses->len : 0; i > 0; i--)
        {
          const ContainerStatus *cs = &g_array_index (statuses, ContainerStatus, i - 1);

          restarts += cs->restarts;
          if (cs->waiting && cs->waiting_reason != NULL && *cs->waiting_reason != '\0')
            set_str (&reason, cs->waiting_reason);
          else if (cs->terminated && cs->terminated_reason != NULL && *cs->terminated_reason != '\0')
            set_str (&reason, cs->terminated_reason);
          else if (cs->terminated)
            {
              g_free (reason);
              if (cs->signal != 0)
                reason = g_strdup_printf ("Signal:%" G_GINT64_FORMAT, cs->signal);
              else
                reason = g_strdup_printf ("ExitCode:%" G_GINT64_FORMAT, cs->exit_code);
            }
          else if (cs->ready && cs->running)
            {
              has_running = TRUE;
              ready++;
            }
        }

      if (g_strcmp0 (reason, "Completed") == 0 && has_running)
        set_str (&reason, has_true_condition (status, "Ready") ? "Running" : "NotReady");
    }

  if (b->deleting && g_strcmp0 (status_reason, "NodeLost") == 0)
    set_str (&reason, "Unknown");
  else if (b->deleting)
    set_str (&reason, "Terminating");

  slot_set (b, PH_SLOT_STATUS, reason ? reason : "");
  slot_printf (b, PH_SLOT_READY, "%u/%u", ready, n_containers);
  b->restarts = restarts;
}

/* --- Workloads ------------------------------------------------------ */

static void
extract_workload (Builder  *b,
                  PhKindId  kind)
{
  const Span *spec = &b->spans[SPAN_SPEC];
  const Span *status = &b->spans[SPAN_STATUS];

  switch (kind)
    {
    case PH_KIND_DEPLOYMENT:
    case PH_KIND_STATEFUL_SET:
      {
        gint64 desired = span_get_int (spec, "replicas", 1);
        gint64 ready = span_get_int (status, "readyReplicas", 0);

        slot_printf (b, PH_SLOT_READY, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, ready, desired);
        if (kind == PH_KIND_DEPLOYMENT)
          {
            slot_printf (b, PH_SLOT_C1, "%" G_GINT64_FORMAT, span_get_int (status, "updatedReplicas", 0));
            slot_printf (b, PH_SLOT_C2, "%" G_GINT64_FORMAT, span_get_int (status, "availableReplicas", 0));
          }
      }
      break;

    case PH_KIND_REPLICA_SET:
      slot_printf (b, PH_SLOT_C1, "%" G_GINT64_FORMAT, span_get_int (spec, "replicas", 1));
      slot_printf (b, PH_SLOT_C2, "%" G_GINT64_FORMAT, span_get_int (status, "replicas", 0));
      slot_printf (b, PH_SLOT_READY, "%" G_GINT64_FORMAT, span_get_int (status, "readyReplicas", 0));
      break;

    case PH_KIND_DAEMON_SET:
      slot_printf (b, PH_SLOT_C1, "%" G_GINT64_FORMAT, span_get_int (status, "desiredNumberScheduled", 0));
      slot_printf (b, PH_SLOT_C2, "%" G_GINT64_FORMAT, span_get_int (status, "currentNumberScheduled", 0));
      slot_printf (b, PH_SLOT_READY, "%" G_GINT64_FORMAT, span_get_int (status, "numberReady", 0));
      slot_printf (b, PH_SLOT_C3, "%" G_GINT64_FORMAT, span_get_int (status, "updatedNumberScheduled", 0));
      slot_printf (b, PH_SLOT_C4, "%" G_GINT64_FORMAT, span_get_int (status, "numberAvailable", 0));
      break;

    case PH_KIND_JOB:
      {
        gint64 completions = span_get_int (spec, "completions", 1);

        slot_printf (b, PH_SLOT_C1, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                     span_get_int (status, "succeeded", 0), completions);
        slot_printf (b, PH_SLOT_C2, "%" G_GINT64_FORMAT, span_get_int (status, "active", 0));
        if (has_true_condition (status, "Complete"))
          slot_set (b, PH_SLOT_STATUS, "Complete");
        else if (has_true_condition (status, "Failed"))
          slot_set (b, PH_SLOT_STATUS, "Failed");
        else if (has_true_condition (status, "Suspended"))
          slot_set (b, PH_SLOT_STATUS, "Suspended");
        else
          slot_set (b, PH_SLOT_STATUS, "Running");
      }
      break;

    case PH_KIND_CRON_JOB:
      {
        g_autofree char *schedule = span_get_string (spec, "schedule");
        g_autofree char *last = span_get_string (status, "lastScheduleTime");
        Span suspend = span_get_member (spec, "suspend");
        Span active = span_get_member (status, "active");
        gboolean suspended = FALSE;
        guint n_active = 0;
        PhJsonScan s;

        if (span_scan (&suspend, &s))
          ph_json_scan_read_bool (&s, &suspended);
        if (span_scan (&active, &s))
          n_active = count_elements (&s);
        slot_set (b, PH_SLOT_C1, schedule ? schedule : "");
        slot_set (b, PH_SLOT_C2, suspended ? "True" : "False");
        slot_printf (b, PH_SLOT_C3, "%u", n_active);
        slot_set (b, PH_SLOT_C4, last ? last : "");
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* --- Services, nodes, events, namespaces, config ------------------- */

static void
extract_service (Builder *b)
{
  const Span *spec = &b->spans[SPAN_SPEC];
  g_autofree char *type = span_get_string (spec, "type");
  g_autofree char *cluster_ip = span_get_string (spec, "clusterIP");
  Span ports = span_get_member (spec, "ports");
  Span external = span_get_member (spec, "externalIPs");
  Span lb = span_get_member (&b->spans[SPAN_STATUS], "loadBalancer");
  g_autoptr(GString) ports_str = g_string_new (NULL);
  g_autoptr(GString) ext_str = g_string_new (NULL);
  PhJsonScan s;

  if (span_scan (&ports, &s) && ph_json_scan_enter_array (&s))
    {
      while (ph_json_scan_next_element (&s))
        {
          gint64 port = 0, node_port = 0;
          g_autofree char *proto = NULL;
          const char *key;
          gsize len;

          if (!ph_json_scan_enter_object (&s))
            break;
          while (ph_json_scan_next_member (&s, &key, &len))
            {
              if (PH_JSON_KEY_IS (key, len, "port"))
                ph_json_scan_read_int (&s, &port);
              else if (PH_JSON_KEY_IS (key, len, "nodePort"))
                ph_json_scan_read_int (&s, &node_port);
              else if (PH_JSON_KEY_IS (key, len, "protocol") && proto == NULL)
                proto = ph_json_scan_dup_string (&s);
              else
                ph_json_scan_skip (&s);
            }
          if (ports_str->len > 0)
            g_string_append_c (ports_str, ',');
          g_string_append_printf (ports_str, "%" G_GINT64_FORMAT, port);
          if (node_port != 0)
            g_string_append_printf (ports_str, ":%" G_GINT64_FORMAT, node_port);
          g_string_append_printf (ports_str, "/%s", proto ? proto : "TCP");
        }
    }

  /* External IPs: load balancer ingress first, then spec.externalIPs. */
  {
    Span ingress = span_get_member (&lb, "ingress");

    if (span_scan (&ingress, &s) && ph_json_scan_enter_array (&s))
      {
        while (ph_json_scan_next_element (&s))
          {
            Span entry = { NULL, 0 };
            g_autofree char *ip = NULL;

            if (!ph_json_scan_span (&s, &entry.p, &entry.len))
              break;
            ip = span_get_string (&entry, "ip");
            if (ip == NULL)
              ip = span_get_string (&entry, "hostname");
            if (ip != NULL)
              g_string_append_printf (ext_str, "%s%s", ext_str->len ? "," : "", ip);
          }
      }
  }
  if (span_scan (&external, &s) && ph_json_scan_enter_array (&s))
    {
      while (ph_json_scan_next_element (&s))
        {
          g_autofree char *ip = ph_json_scan_dup_string (&s);

          if (ip != NULL)
            g_string_append_printf (ext_str, "%s%s", ext_str->len ? "," : "", ip);
        }
    }

  slot_set (b, PH_SLOT_C1, type ? type : "ClusterIP");
  slot_set (b, PH_SLOT_C2, cluster_ip ? cluster_ip : "");
  slot_set (b, PH_SLOT_C3, ext_str->len ? ext_str->str : "<none>");
  slot_set (b, PH_SLOT_C4, ports_str->len ? ports_str->str : "<none>");
}

static void
extract_node (Builder *b)
{
  const Span *status = &b->spans[SPAN_STATUS];
  Span info = span_get_member (status, "nodeInfo");
  g_autofree char *version = span_get_string (&info, "kubeletVersion");
  g_autoptr(GString) roles = g_string_new (NULL);
  gboolean unschedulable = FALSE;
  Span unsched = span_get_member (&b->spans[SPAN_SPEC], "unschedulable");
  PhJsonScan s;
  const char *prefix = "node-role.kubernetes.io/";
  gsize prefix_len = strlen (prefix);

  if (span_scan (&unsched, &s))
    ph_json_scan_read_bool (&s, &unschedulable);

  for (guint i = 0; i < b->labels->len; i++)
    {
      const char *label = b->buf->str + g_array_index (b->labels, guint32, i);

      if (strncmp (label, prefix, prefix_len) == 0)
        {
          const char *role = label + prefix_len;
          const char *eq = strchr (role, '=');

          if (eq != NULL && eq > role)
            {
              if (roles->len > 0)
                g_string_append_c (roles, ',');
              g_string_append_len (roles, role, eq - role);
            }
        }
    }

  slot_set (b, PH_SLOT_STATUS,
            has_true_condition (status, "Ready")
              ? (unschedulable ? "Ready,SchedulingDisabled" : "Ready")
              : (unschedulable ? "NotReady,SchedulingDisabled" : "NotReady"));
  slot_set (b, PH_SLOT_C1, roles->len ? roles->str : "<none>");
  slot_set (b, PH_SLOT_C2, version ? version : "");
}

static void
extract_event (Builder *b)
{
  g_autofree char *type = span_dup_string (&b->spans[SPAN_TYPE]);
  g_autofree char *reason = span_dup_string (&b->spans[SPAN_REASON]);
  g_autofree char *message = span_dup_string (&b->spans[SPAN_MESSAGE]);
  g_autofree char *last = span_dup_string (&b->spans[SPAN_LAST_TIMESTAMP]);
  g_autofree char *ikind = span_get_string (&b->spans[SPAN_INVOLVED], "kind");
  g_autofree char *iname = span_get_string (&b->spans[SPAN_INVOLVED], "name");
  g_autofree char *lower = g_ascii_strdown (ikind ? ikind : "", -1);

  if (last == NULL)
    last = span_dup_string (&b->spans[SPAN_EVENT_TIME]);
  slot_set (b, PH_SLOT_C1, type ? type : "");
  slot_set (b, PH_SLOT_C2, reason ? reason : "");
  slot_printf (b, PH_SLOT_C3, "%s/%s", lower, iname ? iname : "");
  slot_set (b, PH_SLOT_C4, message ? message : "");
  slot_set (b, PH_SLOT_C5, last ? last : "");
}

static void
extract_other (Builder  *b,
               PhKindId  kind)
{
  PhJsonScan s;

  switch (kind)
    {
    case PH_KIND_NAMESPACE:
      {
        g_autofree char *phase = span_get_string (&b->spans[SPAN_STATUS], "phase");
        slot_set (b, PH_SLOT_STATUS, phase ? phase : "");
      }
      break;

    case PH_KIND_CONFIG_MAP:
    case PH_KIND_SECRET:
      {
        guint n = 0;
        PhSlot data_slot = kind == PH_KIND_SECRET ? PH_SLOT_C2 : PH_SLOT_C1;

        if (span_scan (&b->spans[SPAN_DATA], &s))
          n += count_elements (&s);
        if (kind == PH_KIND_CONFIG_MAP && span_scan (&b->spans[SPAN_BINARY_DATA], &s))
          n += count_elements (&s);
        slot_printf (b, data_slot, "%u", n);
        if (kind == PH_KIND_SECRET)
          {
            g_autofree char *type = span_dup_string (&b->spans[SPAN_TYPE]);
            slot_set (b, PH_SLOT_C1, type ? type : "Opaque");
          }
      }
      break;

    case PH_KIND_INGRESS:
      {
        /* kubectl's PORTS: 80, and 443 as well once any TLS is set up. */
        Span tls = span_get_member (&b->spans[SPAN_SPEC], "tls");
        guint n_tls = span_scan (&tls, &s) ? count_elements (&s) : 0;

        slot_set (b, PH_SLOT_C1, n_tls > 0 ? "80, 443" : "80");
      }
      break;

    default:
      break;
    }
}

static int
compare_labels (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  const char *buf = user_data;

  return strcmp (buf + *(const guint32 *) a, buf + *(const guint32 *) b);
}

PhObjectFields *
ph_object_fields_new (const char  *json,
                      gsize        len,
                      PhKindId     kind_hint,
                      GError     **error)
{
  Builder b = { 0 };
  PhJsonScan s;
  PhObjectFields *f;
  PhKindId kind = kind_hint;
  const char *key;
  gsize key_len;
  gsize labels_size, total;
  const char **labels;

  b.buf = g_string_sized_new (256);
  g_string_append_c (b.buf, '\0');
  b.labels = g_array_new (FALSE, FALSE, sizeof (guint32));

  ph_json_scan_init (&s, json, len);
  if (ph_json_scan_enter_object (&s))
    {
      while (ph_json_scan_next_member (&s, &key, &key_len))
        {
          int span = -1;

          if (PH_JSON_KEY_IS (key, key_len, "metadata"))
            scan_metadata (&b, &s);
          else if (PH_JSON_KEY_IS (key, key_len, "kind"))
            slot_read (&b, PH_SLOT_KIND, &s);
          else
            {
              if (PH_JSON_KEY_IS (key, key_len, "spec"))
                span = SPAN_SPEC;
              else if (PH_JSON_KEY_IS (key, key_len, "status"))
                span = SPAN_STATUS;
              else if (PH_JSON_KEY_IS (key, key_len, "data"))
                span = SPAN_DATA;
              else if (PH_JSON_KEY_IS (key, key_len, "binaryData"))
                span = SPAN_BINARY_DATA;
              else if (PH_JSON_KEY_IS (key, key_len, "type"))
                span = SPAN_TYPE;
              else if (PH_JSON_KEY_IS (key, key_len, "reason"))
                span = SPAN_REASON;
              else if (PH_JSON_KEY_IS (key, key_len, "message"))
                span = SPAN_MESSAGE;
              else if (PH_JSON_KEY_IS (key, key_len, "involvedObject"))
                span = SPAN_INVOLVED;
              else if (PH_JSON_KEY_IS (key, key_len, "lastTimestamp"))
                span = SPAN_LAST_TIMESTAMP;
              else if (PH_JSON_KEY_IS (key, key_len, "eventTime"))
                span = SPAN_EVENT_TIME;

              if (span >= 0)
                ph_json_scan_span (&s, &b.spans[span].p, &b.spans[span].len);
              else
                ph_json_scan_skip (&s);
            }
        }
      ph_json_scan_at_end (&s);
    }

  if (ph_json_scan_failed (&s) || !ph_json_scan_at_end (&s))
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                   "Malformed JSON object at byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT,
                   (gsize) (s.p - json), len);
      goto fail;
    }
  if (b.offs[PH_SLOT_UID] == 0)
    {
      g_set_error (error, PH_KUBE_ERROR, PH_KUBE_ERROR_INVALID_RESPONSE,
                   "Object without metadata.uid");
      goto fail;
    }

  if (b.offs[PH_SLOT_KIND] == 0 && kind != PH_KIND_OTHER)
    slot_set (&b, PH_SLOT_KIND, kind_name (kind));
  else if (kind == PH_KIND_OTHER)
    kind = ph_kind_id_from_kind (b.buf->str + b.offs[PH_SLOT_KIND]);

  g_array_sort_with_data (b.labels, compare_labels, b.buf->str);

  switch (kind)
    {
    case PH_KIND_POD:
      extract_pod (&b);
      break;
    case PH_KIND_DEPLOYMENT:
    case PH_KIND_REPLICA_SET:
    case PH_KIND_STATEFUL_SET:
    case PH_KIND_DAEMON_SET:
    case PH_KIND_JOB:
    case PH_KIND_CRON_JOB:
      extract_workload (&b, kind);
      break;
    case PH_KIND_SERVICE:
      extract_service (&b);
      break;
    case PH_KIND_NODE:
      extract_node (&b);
      break;
    case PH_KIND_EVENT:
      extract_event (&b);
      break;
    case PH_KIND_OTHER:
    case PH_KIND_NAMESPACE:
    case PH_KIND_CONFIG_MAP:
    case PH_KIND_SECRET:
    case PH_KIND_INGRESS:
    case PH_N_KINDS:
    default:
      extract_other (&b, kind);
      break;
    }
  slot_printf (&b, PH_SLOT_RESTARTS, "%" G_GINT64_FORMAT, b.restarts);

  /* One allocation for every string: the labels pointer array first,
   * then the strings it points into. */
  f = g_new0 (PhObjectFields, 1);
  labels_size = sizeof (char *) * (b.labels->len + 1);
  total = labels_size + b.buf->len;
  f->block = g_malloc (total);
  memcpy (f->block + labels_size, b.buf->str, b.buf->len);
  labels = (const char **) (gpointer) f->block;
  for (guint i = 0; i < b.labels->len; i++)
    labels[i] = f->block + labels_size + g_array_index (b.labels, guint32, i);
  labels[b.labels->len] = NULL;
  for (guint i = 0; i < PH_N_SLOTS; i++)
    f->offs[i] = (guint32) (labels_size + b.offs[i]);
  f->n_labels = b.labels->len;
  f->creation = b.creation;
  f->restarts = b.restarts;
  f->kind_id = kind;
  f->json = g_bytes_new (json, len);

  g_string_free (b.buf, TRUE);
  g_array_unref (b.labels);
  return f;

fail:
  g_string_free (b.buf, TRUE);
  g_array_unref (b.labels);
  return NULL;
}

void
ph_object_fields_free (PhObjectFields *fields)
{
  if (fields == NULL)
    return;
  g_clear_pointer (&fields->json, g_bytes_unref);
  g_free (fields->block);
  g_free (fields);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */

static const char * const *
fields_labels (const PhObjectFields *f)
{
  return (const char * const *) (gconstpointer) f->block;
}

static void
ph_object_finalize (GObject *object)
{
  PhObject *self = (PhObject *) object;

  g_clear_pointer (&self->f.json, g_bytes_unref);
  g_clear_pointer (&self->f.block, g_free);

  G_OBJECT_CLASS (ph_object_parent_class)->finalize (object);
}

static void
ph_object_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PhObject *self = PH_OBJECT (object);

  switch (prop_id)
    {
    case PROP_UID:
      g_value_set_string (value, ph_object_get_uid (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, ph_object_get_name (self));
      break;
    case PROP_NAMESPACE:
      g_value_set_string (value, ph_object_get_namespace (self));
      break;
    case PROP_RESOURCE_VERSION:
      g_value_set_string (value, ph_object_get_resource_version (self));
      break;
    case PROP_KIND:
      g_value_set_string (value, ph_object_get_kind (self));
      break;
    case PROP_CONTEXT:
      g_value_set_string (value, ph_object_get_context (self));
      break;
    case PROP_CREATION_TIMESTAMP:
      g_value_set_int64 (value, ph_object_get_creation_timestamp (self));
      break;
    case PROP_LABELS:
      g_value_set_boxed (value, ph_object_get_labels (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, ph_object_get_status (self));
      break;
    case PROP_READY:
      g_value_set_string (value, ph_object_get_ready (self));
      break;
    case PROP_RESTARTS:
      g_value_set_int64 (value, ph_object_get_restarts (self));
      break;
    case PROP_NODE:
      g_value_set_string (value, ph_object_get_node (self));
      break;
    case PROP_JSON:
      g_value_set_boxed (value, self->f.json);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ph_object_class_init (PhObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ph_object_finalize;
  object_class->get_property = ph_object_get_property;

  properties[PROP_UID] = g_param_spec_string ("uid", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_NAMESPACE] = g_param_spec_string ("namespace", NULL, NULL, NULL, flags);
  properties[PROP_RESOURCE_VERSION] = g_param_spec_string ("resource-version", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_CONTEXT] = g_param_spec_string ("context", NULL, NULL, NULL, flags);
  properties[PROP_CREATION_TIMESTAMP] =
    g_param_spec_int64 ("creation-timestamp", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LABELS] = g_param_spec_boxed ("labels", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, flags);
  properties[PROP_READY] = g_param_spec_string ("ready", NULL, NULL, NULL, flags);
  properties[PROP_RESTARTS] =
    g_param_spec_int64 ("restarts", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NODE] = g_param_spec_string ("node", NULL, NULL, NULL, flags);
  properties[PROP_JSON] = g_param_spec_boxed ("json", NULL, NULL, G_TYPE_BYTES, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PhObject::column-changed:
   * @column_id: the column of ph_object_get_column() whose value changed
   *
   * Emitted (detailed by the column id) for kind-specific columns that
   * have no property of their own.
   */
  signals[COLUMN_CHANGED] =
    g_signal_new ("column-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
ph_object_init (PhObject *self)
{
}

PhObject *
ph_object_new_take_fields (PhObjectFields *fields,
                           const char     *context)
{
  PhObject *self;

  g_return_val_if_fail (fields != NULL, NULL);

  self = g_object_new (PH_TYPE_OBJECT, NULL);
  self->f = *fields;
  self->context = g_intern_string (context ? context : "");
  g_free (fields);
  return self;
}

static gboolean
labels_equal (const PhObjectFields *a,
              const PhObjectFields *b)
{
  const char * const *la = fields_labels (a);
  const char * const *lb = fields_labels (b);

  if (a->n_labels != b->n_labels)
    return FALSE;
  for (guint i = 0; i < a->n_labels; i++)
    if (strcmp (la[i], lb[i]) != 0)
      return FALSE;
  return TRUE;
}

void
ph_object_update_take_fields (PhObject       *self,
                              PhObjectFields *fields)
{
  static const struct {
    PhSlot slot;
    guint  prop;
  } slot_props[] = {
    { PH_SLOT_UID, PROP_UID },
    { PH_SLOT_NAME, PROP_NAME },
    { PH_SLOT_NAMESPACE, PROP_NAMESPACE },
    { PH_SLOT_RESOURCE_VERSION, PROP_RESOURCE_VERSION },
    { PH_SLOT_KIND, PROP_KIND },
    { PH_SLOT_STATUS, PROP_STATUS },
    { PH_SLOT_READY, PROP_READY },
    { PH_SLOT_NODE, PROP_NODE },
  };
  PhObjectFields old;
  guint changed_props = 0;
  guint changed_cols = 0;

  g_return_if_fail (PH_IS_OBJECT (self));
  g_return_if_fail (fields != NULL);

  old = self->f;
  self->f = *fields;
  g_free (fields);

  /* Compare first, notify after: handlers then see the whole new version. */
  for (guint i = 0; i < G_N_ELEMENTS (slot_props); i++)
    if (strcmp (ph_object_fields_get (&old, slot_props[i].slot),
                ph_object_fields_get (&self->f, slot_props[i].slot)) != 0)
      changed_props |= 1u << slot_props[i].prop;
  if (old.creation != self->f.creation)
    changed_props |= 1u << PROP_CREATION_TIMESTAMP;
  if (old.restarts != self->f.restarts)
    changed_props |= 1u << PROP_RESTARTS;
  if (!labels_equal (&old, &self->f))
    changed_props |= 1u << PROP_LABELS;
  if (!g_bytes_equal (old.json, self->f.json))
    changed_props |= 1u << PROP_JSON;
  for (guint i = PH_SLOT_C1; i < PH_N_SLOTS; i++)
    if (strcmp (ph_object_fields_get (&old, i), ph_object_fields_get (&self->f, i)) != 0)
      changed_cols |= 1u << (i - PH_SLOT_C1);

  g_bytes_unref (old.json);
  g_free (old.block);

  for (guint prop = 1; prop < N_PROPS; prop++)
    if (changed_props & (1u << prop))
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);

  if (changed_cols != 0 && self->f.kind_id < PH_N_KINDS)
    {
      for (guint i = 0; i < 5; i++)
        {
          const char *id = kind_columns[self->f.kind_id][i];

          if (id != NULL && (changed_cols & (1u << i)))
            g_signal_emit (self, signals[COLUMN_CHANGED], g_quark_from_static_string (id), id);
        }
    }
}

const char *
ph_object_get_uid (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return ph_object_fields_get (&self->f, PH_SLOT_UID);
}

const char *
ph_object_get_name (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return ph_object_fields_get (&self->f, PH_SLOT_NAME);
}

const char *
ph_object_get_namespace (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return ph_object_fields_get (&self->f, PH_SLOT_NAMESPACE);
}

const char *
ph_object_get_resource_version (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return ph_object_fields_get (&self->f, PH_SLOT_RESOURCE_VERSION);
}

const char *
ph_object_get_kind (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return ph_object_fields_get (&self->f, PH_SLOT_KIND);
}

const char *
ph_object_get_context (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return self->context;
}

gint64
ph_object_get_creation_timestamp (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), 0);
  return self->f.creation;
}

const char * const *
ph_object_get_labels (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return fields_labels (&self->f);
}

const char *
ph_object_get_status (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return ph_object_fields_get (&self->f, PH_SLOT_STATUS);
}

const char *
ph_object_get_ready (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return ph_object_fields_get (&self->f, PH_SLOT_READY);
}

gint64
ph_object_get_restarts (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), 0);
  return self->f.restarts;
}

const char *
ph_object_get_node (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return ph_object_fields_get (&self->f, PH_SLOT_NODE);
}

const char *
ph_object_get_column (PhObject   *self,
                      const char *column_id)
{
  static const struct {
    const char *id;
    PhSlot      slot;
  } common[] = {
    { "name", PH_SLOT_NAME },
    { "namespace", PH_SLOT_NAMESPACE },
    { "uid", PH_SLOT_UID },
    { "resource-version", PH_SLOT_RESOURCE_VERSION },
    { "kind", PH_SLOT_KIND },
    { "status", PH_SLOT_STATUS },
    { "ready", PH_SLOT_READY },
    { "node", PH_SLOT_NODE },
    { "restarts", PH_SLOT_RESTARTS },
  };

  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  g_return_val_if_fail (column_id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (common); i++)
    if (strcmp (column_id, common[i].id) == 0)
      return ph_object_fields_get (&self->f, common[i].slot);

  if (self->f.kind_id < PH_N_KINDS)
    for (guint i = 0; i < 5; i++)
      {
        const char *id = kind_columns[self->f.kind_id][i];

        if (id != NULL && strcmp (id, column_id) == 0)
          return ph_object_fields_get (&self->f, PH_SLOT_C1 + i);
      }

  return NULL;
}

GBytes *
ph_object_get_json (PhObject *self)
{
  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);
  return self->f.json;
}

JsonNode *
ph_object_parse (PhObject  *self,
                 GError   **error)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize len;
  const char *data;

  g_return_val_if_fail (PH_IS_OBJECT (self), NULL);

  parser = json_parser_new_immutable ();
  data = g_bytes_get_data (self->f.json, &len);
  if (!json_parser_load_from_data (parser, data, len, error))
    return NULL;
  return json_parser_steal_root (parser);
}
