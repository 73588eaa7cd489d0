import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { KeyDetailsBody } from "@/components/api-keys/key-details";
import { toKeyRow } from "@/components/api-keys/key-row";
import { getDb } from "@/db";
import { readerActor } from "@/lib/commands/actor";
import { getKeyDetails } from "@/lib/commands/keys";
import { AppError } from "@/lib/errors";
import { PLACES } from "@/lib/glossary";
import { policy } from "@/lib/policy";
import { requestNow } from "@/lib/request-clock";
import { requestOrigin } from "@/lib/request-context";
import { requestTimeZone } from "@/lib/request-time-zone";
import { requireUser } from "@/lib/session";

type Params = { params: Promise<{ id: string }> };

/** The signed-in user's key, once per request (the title and the page both need it). */
const loadKey = cache(async (id: string) => {
  const user = await requireUser();
  // Owner-scoped in the command: another user's key id, a team key's or a malformed one is simply "not found".
  return getKeyDetails(await getDb(), readerActor(user.id), id).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "key_not_found") notFound();
    throw e;
  });
});

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { key } = await loadKey((await params).id);
  return { title: `${key.name} · API key` };
}

export default async function ApiKeyDetailPage({ params }: Params) {
  const details = await loadKey((await params).id);
  const now = await requestNow();
  return (
    <KeyDetailsBody
      details={details}
      row={toKeyRow(details.key, now, policy.rotationPeriodDays)}
      list={{ href: "/settings/api-keys", label: PLACES.apiKeys }}
      origin={requestOrigin(await headers())}
      maxLifetimeDays={policy.maxLifetimeDays}
      now={now}
      timeZone={await requestTimeZone()}
    />
  );
}
