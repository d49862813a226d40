import { isUuid, type FieldIssue } from '@conference/kernel';

/** Field limits of a speaker profile (DESIGN §2), shared by the entity and the request codecs. */
export const SpeakerLimits = {
  name: { min: 1, max: 200 },
  headline: { min: 0, max: 200 },
  bio: { min: 0, max: 5000 },
  company: { min: 0, max: 200 },
  links: { max: 10 },
  linkLabel: { min: 1, max: 50 },
  linkUrl: { max: 2000 },
} as const;

export interface SpeakerLink {
  readonly label: string;
  readonly url: string;
}

/** The editable part of a speaker: what a person types into the profile form. */
export interface SpeakerProfile {
  readonly name: string;
  readonly headline: string;
  readonly bio: string;
  readonly company: string;
  readonly links: readonly SpeakerLink[];
  /** The platform account of the speaker, when they have one. */
  readonly userId: string | null;
}

// The URL parser silently drops tabs and newlines, so `java\nscript:` would parse as `javascript:`
// and a stored URL could differ from what a browser renders: refuse control characters outright.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * A link a browser may follow safely: absolute http(s) with a host, no control characters, at most
 * 2000 characters. Everything else (`javascript:`, `data:`, relative paths) is refused.
 */
export function isHttpUrl(value: string): boolean {
  if (value.length === 0 || value.length > SpeakerLimits.linkUrl.max || CONTROL_CHARACTERS.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
}

function checkText(issues: FieldIssue[], path: string, value: string, limits: { min: number; max: number }): string {
  const trimmed = value.trim();
  if (trimmed.length < limits.min) issues.push({ path, message: limits.min === 1 ? 'must not be empty' : `must be at least ${limits.min} characters` });
  else if (trimmed.length > limits.max) issues.push({ path, message: `must be at most ${limits.max} characters` });
  return trimmed;
}

/**
 * Checks every rule of a profile and returns it normalised (trimmed), or the list of broken rules
 * with their paths (`links[2].url`), so a form can mark every bad field at once.
 */
export function checkProfile(profile: SpeakerProfile): { profile: SpeakerProfile; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const name = checkText(issues, 'name', profile.name, SpeakerLimits.name);
  const headline = checkText(issues, 'headline', profile.headline, SpeakerLimits.headline);
  const bio = checkText(issues, 'bio', profile.bio, SpeakerLimits.bio);
  const company = checkText(issues, 'company', profile.company, SpeakerLimits.company);
  if (profile.links.length > SpeakerLimits.links.max) {
    issues.push({ path: 'links', message: `must have at most ${SpeakerLimits.links.max} items` });
  }
  const links = profile.links.map((link, i) => {
    const label = checkText(issues, `links[${i}].label`, link.label, SpeakerLimits.linkLabel);
    const url = link.url.trim();
    if (!isHttpUrl(url)) issues.push({ path: `links[${i}].url`, message: `must be an http or https URL of at most ${SpeakerLimits.linkUrl.max} characters` });
    return { label, url };
  });
  if (profile.userId !== null && !isUuid(profile.userId)) issues.push({ path: 'userId', message: 'must be a UUID' });
  const userId = profile.userId === null ? null : profile.userId.toLowerCase();
  return { profile: { name, headline, bio, company, links, userId }, issues };
}
