-- Reference dimensions of the demo company: Lumen Analytics, a B2B SaaS vendor selling analytics
-- and planning software from the US, the UK and Germany.

INSERT INTO dim_currency VALUES
    ('USD', 'US dollar', 2),
    ('EUR', 'Euro', 2),
    ('GBP', 'Pound sterling', 2),
    ('CAD', 'Canadian dollar', 2);

INSERT INTO dim_entity VALUES
    ('US01', 'Lumen Analytics Inc.', 'USD', 'US'),
    ('UK01', 'Lumen Analytics Ltd', 'GBP', 'GB'),
    ('DE01', 'Lumen Analytics GmbH', 'EUR', 'DE');

INSERT INTO dim_channel VALUES
    ('paid_search',      'Paid search',          'PAID'),
    ('paid_social',      'Paid social',          'PAID'),
    ('display',          'Display advertising',  'PAID'),
    ('events',           'Events & trade shows', 'PAID'),
    ('email',            'Email nurture',        'OWNED'),
    ('webinar',          'Webinars',             'OWNED'),
    ('content_seo',      'Content & SEO',        'EARNED'),
    ('organic_social',   'Organic social',       'EARNED'),
    ('partner_referral', 'Partner referrals',    'PARTNER'),
    ('outbound_sdr',     'Outbound SDR',         'SALES');

INSERT INTO dim_department VALUES
    ('MKT-DEMAND',   'Demand Generation',              'CC-4100', 'MARKETING'),
    ('MKT-CONTENT',  'Content & Brand',                'CC-4200', 'MARKETING'),
    ('MKT-FIELD',    'Field, Partner & Outbound',      'CC-4300', 'MARKETING'),
    ('SAL-AE',       'Account Executives',             'CC-5100', 'SALES'),
    ('SAL-SDR',      'Sales Development',              'CC-5200', 'SALES'),
    ('ENG-PRODUCT',  'Product Engineering',            'CC-6100', 'PRODUCT'),
    ('ENG-PLATFORM', 'Platform & Infrastructure',      'CC-6200', 'PRODUCT'),
    ('CS-CSM',       'Customer Success Management',    'CC-7100', 'CUSTOMER_SUCCESS'),
    ('CS-SUPPORT',   'Customer Support',               'CC-7200', 'CUSTOMER_SUCCESS'),
    ('GA-FINANCE',   'Finance & Legal',                'CC-8100', 'G_AND_A'),
    ('GA-PEOPLE',    'People & Workplace',             'CC-8200', 'G_AND_A');

INSERT INTO dim_product VALUES
    ('PRD-CORE',    'Lumen Analytics', 'Analytics',   DATE '2019-03-04'),
    ('PRD-PLAN',    'Lumen Planning',  'Planning',    DATE '2021-06-07'),
    ('PRD-CONNECT', 'Lumen Connect',   'Integration', DATE '2023-04-17'),
    ('PRD-AI',      'Lumen Copilot',   'AI',          DATE '2024-10-01');

-- Spend cost types map one to one onto the EXPENSE accounts 6100..6400, so spend and GL agree.
-- COGS accounts carry no cost type for that reason.
INSERT INTO dim_gl_account VALUES
    ('4000', 'Subscription revenue',          'REVENUE', NULL),
    ('4100', 'Professional services revenue', 'REVENUE', NULL),
    ('5000', 'Hosting & infrastructure',      'COGS',    NULL),
    ('5100', 'Customer support',              'COGS',    NULL),
    ('6100', 'Media',                         'EXPENSE', 'MEDIA'),
    ('6200', 'Creative & agencies',           'EXPENSE', 'CREATIVE'),
    ('6300', 'Salaries & benefits',           'EXPENSE', 'PERSONNEL'),
    ('6400', 'Software & tools',              'EXPENSE', 'TECHNOLOGY'),
    ('6500', 'Travel & entertainment',        'EXPENSE', 'OTHER'),
    ('6600', 'Rent & facilities',             'EXPENSE', 'OTHER'),
    ('6700', 'Professional fees',             'EXPENSE', 'OTHER');

INSERT INTO dim_cs_program VALUES
    ('CSP-ONBOARDING',   'Guided onboarding',          'ONBOARDING',   'CS-CSM'),
    ('CSP-QBR',          'Quarterly business reviews', 'QBR',          'CS-CSM'),
    ('CSP-SUCCESS-PLAN', 'Joint success plans',        'SUCCESS_PLAN', 'CS-CSM'),
    ('CSP-TRAINING',     'Lumen Academy training',     'TRAINING',     'CS-CSM'),
    ('CSP-ESCALATION',   'Executive escalations',      'ESCALATION',   'CS-CSM');
