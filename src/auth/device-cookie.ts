/**
 * @module auth/device-cookie — the signed cookie that tells a browser which has signed in to an account before
 * (OWASP "device cookies"). It holds `<user id>.<device id>.<mac>`; no row is stored. Its failures are counted under
 * the device's own key, so strangers throttling the account do not lock this browser out.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createHmac } from 'node:crypto';
import type { AppEnv } from '../env';
import { isUuid, tokensEqual } from '../lib/crypto';

export interface DeviceCookie {
  userId: string;
  deviceId: string;
}

/** About half a year: a browser used at least that often stays known. */
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 24 * 60 * 60;

function mac(secret: string, userId: string, deviceId: string): string {
  return createHmac('sha256', secret).update(`device-cookie:${userId}.${deviceId}`).digest('hex').slice(0, 32);
}

export function signDeviceCookie(secret: string, device: DeviceCookie): string {
  return `${device.userId}.${device.deviceId}.${mac(secret, device.userId, device.deviceId)}`;
}

/** The device the cookie names, or null when it is missing, malformed or not signed with `secret`. */
export function verifyDeviceCookie(secret: string, value: string | undefined | null): DeviceCookie | null {
  if (!value || value.length > 120) return null;
  const [userId, deviceId, signature, ...rest] = value.split('.');
  if (rest.length > 0 || !isUuid(userId) || !isUuid(deviceId) || !signature) return null;
  return tokensEqual(signature, mac(secret, userId, deviceId)) ? { userId, deviceId } : null;
}

type Ctx = Context<AppEnv>;

function onHttps(c: Ctx): boolean {
  return new URL(c.req.url).protocol === 'https:';
}

export function deviceCookieName(c: Ctx): string {
  return onHttps(c) ? '__Host-hticket_device' : 'hticket_device';
}

export function readDeviceCookie(c: Ctx): DeviceCookie | null {
  return verifyDeviceCookie(c.get('config').TOKEN_SECRET, getCookie(c, deviceCookieName(c)));
}

/** Marks this browser as known to the user: after a sign-in, and after a password reset done with an emailed link. */
export function setDeviceCookie(c: Ctx, device: DeviceCookie): void {
  setCookie(c, deviceCookieName(c), signDeviceCookie(c.get('config').TOKEN_SECRET, device), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: onHttps(c),
    maxAge: DEVICE_COOKIE_MAX_AGE_S,
  });
}

/** The device to remember after a success: the same one when the browser already held this user's cookie. */
export function deviceAfterSuccess(current: DeviceCookie | null, userId: string): DeviceCookie {
  return current?.userId === userId ? current : { userId, deviceId: crypto.randomUUID() };
}
