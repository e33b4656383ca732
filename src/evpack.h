/* evpack.h: the public API of the evpack core library, one header per pipeline stage:
 * ingest (findings in), catalog (frameworks, Artifact catalogue, scope), evaluate (the
 * pack model), render (report.md, pack.json) and pack (atomic writer, manifest, verify).
 * The library never prints nor exits; every fallible call returns an ev_status. */
#ifndef EVPACK_H
#define EVPACK_H

#include "catalog/catalog.h"
#include "evaluate/evaluate.h"
#include "evaluate/model.h"
#include "ingest/finding.h"
#include "ingest/ingest.h"
#include "pack/pack.h"
#include "render/render.h"
#include "util/status.h"

#endif
