//! The LLM composer: Anthropic writes the prose; the money lines come from the plan.
